import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '../..')

export interface BackendProcess {
  url: string
  port: number
  pid: number
  output(): string
  /** kill -9: the instance dies mid-work, as a crashed machine would. */
  kill(): Promise<void>
  stop(): Promise<void>
}

/** `npm run backend` as an operator starts it (its own process), with the environment given. */
export async function startBackendProcess(args: string[], env: NodeJS.ProcessEnv): Promise<BackendProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/backend/cli.ts'), '--port', '0', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the backend printed no URL:\n${output}`)), 60_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk
      const match = /HTTPS API:\s+(https:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the backend exited with ${code}:\n${output}`))
    })
  })
  const exited = () => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())))
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid!,
    output: () => output,
    async kill() {
      child.kill('SIGKILL')
      await exited()
    },
    async stop() {
      child.kill('SIGTERM')
      await exited()
    }
  }
}
