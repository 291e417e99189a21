import { spawn } from 'node:child_process'
import { join } from 'node:path'

export type Program = 'backend' | 'vehicles'

/** A started program as the sandbox needs it: its output, its end, and a way to stop it. */
export interface ProgramProcess {
  stdout: NodeJS.ReadableStream
  stderr: NodeJS.ReadableStream
  onExit(listener: (code: number | null) => void): void
  kill(): void
}

/**
 * How to run one of the repo's programs: the host as a Node child running the TypeScript source,
 * Electron as a utility process running its built copy (so the packaged app needs no
 * ELECTRON_RUN_AS_NODE, and its fuse is off).
 */
export interface Launcher {
  start(program: Program, args: string[], env: NodeJS.ProcessEnv): ProgramProcess
}

/** The programs from source, as `npm run backend` and `npm run vehicles` run them. */
export const sourceLauncher = (root: string): Launcher => ({
  start(program, args, env) {
    const entry = join(root, `src/${program === 'backend' ? 'backend' : 'vehicle'}/cli.ts`)
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    return { stdout: child.stdout, stderr: child.stderr, onExit: (listener) => void child.once('exit', (code) => listener(code)), kill: () => void child.kill('SIGTERM') }
  }
})

export interface Child {
  output(): string
  /** Called once when the program ends, whenever that is. */
  onExit(listener: (code: number | null) => void): void
  /** Resolves with the first match of the pattern in the child's output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

/** Starts a program, keeping the tail of its output for error messages. */
export function startChild(launcher: Launcher, program: Program, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = launcher.start(program, args, env)
  let out = ''
  let exit: { code: number | null } | undefined
  const exitListeners = new Set<(code: number | null) => void>()
  child.onExit((code) => {
    exit = { code }
    for (const listener of exitListeners) listener(code)
  })
  const onExit = (listener: (code: number | null) => void) => (exit ? listener(exit.code) : void exitListeners.add(listener))
  const offExit = (listener: (code: number | null) => void) => exitListeners.delete(listener)
  const outputListeners = new Set<() => void>()
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-20_000)
    for (const listener of outputListeners) listener()
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  return {
    output: () => out,
    onExit,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out)
          if (!m) return
          cleanup()
          resolve(m)
        }
        const exited = (code: number | null) => (cleanup(), reject(new Error(`${program} exited (${code}): ${out.trim().split('\n').slice(-3).join(' | ')}`)))
        const timer = setTimeout(() => (cleanup(), reject(new Error(`${program} did not start within ${timeoutMs / 1000} s`))), timeoutMs)
        const cleanup = () => {
          clearTimeout(timer)
          outputListeners.delete(check)
          offExit(exited)
        }
        outputListeners.add(check)
        onExit(exited)
        check()
      }),
    stop: () =>
      new Promise((resolve) => {
        if (exit) return resolve()
        onExit(() => resolve())
        child.kill()
      })
  }
}
