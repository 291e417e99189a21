import { spawn } from 'node:child_process'
import { join } from 'node:path'

const root = join(__dirname, '../..')

export interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** otactl as a user runs it: a process of its own, its exit code and what it printed. */
export function startOtactl(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'src/cli/otactl.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const done = new Promise<Run>((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })))
  return { child, done, stdout: () => stdout, stderr: () => stderr }
}

export const otactl = (...args: string[]) => startOtactl(args).done
