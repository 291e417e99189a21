import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '../..')

export interface HostProcess {
  url: string
  token: string
  port: number
  output(): string
  stop(): Promise<void>
}

/** Runs `npm run serve`'s program (without the build step) as a user would, and reads the URL it prints. */
export async function startHostProcess(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<HostProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/host/cli.ts'), ...args], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host printed no URL:\n${output}`)), 20_000)
    const read = (chunk: Buffer) => {
      output += chunk
      const match = /Open (http:\/\/\S+)/.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve(match[1]!)
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk))
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)))
  })
  const parsed = new URL(url)
  return {
    url,
    token: parsed.searchParams.get('token')!,
    port: Number(parsed.port),
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGTERM')
      })
  }
}
