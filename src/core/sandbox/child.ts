import { spawn } from 'node:child_process'
import { join } from 'node:path'

export type Program = 'backend' | 'vehicles'

/** A started program as the sandbox needs it: what a Node child process and an Electron utility process both are. */
export interface ProgramProcess {
  stdout: NodeJS.ReadableStream | null
  stderr: NodeJS.ReadableStream | null
  once(event: 'exit', listener: (code: number | null) => void): unknown
  off(event: 'exit', listener: (code: number | null) => void): unknown
  kill(): unknown
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
  start: (program, args, env) =>
    spawn(process.execPath, ['--import', 'tsx', join(root, `src/${program === 'backend' ? 'backend' : 'vehicle'}/cli.ts`), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe']
    })
})

export interface Child {
  output(): string
  /** Told when the program ends after this call. */
  onExit(listener: (code: number | null) => void): void
  /** Resolves with the first match of the pattern in the child's output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

/** Starts a program, keeping the tail of its output for error messages. */
export function startChild(launcher: Launcher, program: Program, args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const child = launcher.start(program, args, env)
  const stdout = child.stdout!
  let out = ''
  let exited = false
  child.once('exit', () => (exited = true))
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000))
  stdout.on('data', keep)
  child.stderr!.on('data', keep)
  return {
    output: () => out,
    onExit: (listener) => void child.once('exit', listener),
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = pattern.exec(out)
          if (!m) return false
          cleanup()
          resolve(m)
          return true
        }
        const onExit = (code: number | null) => (cleanup(), reject(new Error(`${program} exited (${code}): ${out.trim().split('\n').slice(-3).join(' | ')}`)))
        const timer = setTimeout(() => (cleanup(), reject(new Error(`${program} did not start within ${timeoutMs / 1000} s`))), timeoutMs)
        const onData = () => void check()
        const cleanup = () => {
          clearTimeout(timer)
          stdout.off('data', onData)
          child.off('exit', onExit)
        }
        if (check()) return
        stdout.on('data', onData)
        child.once('exit', onExit)
      }),
    stop: () =>
      new Promise((resolve) => {
        if (exited) return resolve()
        child.once('exit', () => resolve())
        child.kill()
      })
  }
}
