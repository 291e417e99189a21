import { spawn, type ChildProcess } from 'node:child_process'

/** How to run one of the repo's programs: the host runs TypeScript, Electron its built copy. */
export interface Launcher {
  command(program: 'backend' | 'vehicles'): { file: string; args: string[]; env?: NodeJS.ProcessEnv }
}

export interface Child {
  process: ChildProcess
  output(): string
  /** Resolves with the first match of the pattern in the child's output. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray>
  stop(): Promise<void>
}

/** Starts a program as a child process, keeping the tail of its output for error messages. */
export function startChild(launcher: Launcher, program: 'backend' | 'vehicles', args: string[], env: NodeJS.ProcessEnv = {}): Child {
  const cmd = launcher.command(program)
  const child = spawn(cmd.file, [...cmd.args, ...args], { env: { ...process.env, ...cmd.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const keep = (chunk: Buffer) => (out = (out + chunk.toString()).slice(-20_000))
  child.stdout!.on('data', keep)
  child.stderr!.on('data', keep)
  return {
    process: child,
    output: () => out,
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
          child.stdout!.off('data', onData)
          child.off('exit', onExit)
        }
        if (check()) return
        child.stdout!.on('data', onData)
        child.once('exit', onExit)
      }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
