import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { SecretStore } from '../../src/core/secrets/secret-store'

export const quick = process.argv.includes('--quick')

/** A keychain that holds nothing, for benchmarks whose figures should not include the OS keychain. */
export const noKeychain: SecretStore = {
  status: async () => ({ available: false, message: 'benchmark' }),
  get: async () => null,
  set: async () => {},
  delete: async () => {},
  accounts: async () => []
}

/** Starts `npm run backend` as its own process and reads what it prints. */
export async function backendProcess(dataDir: string) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(__dirname, '../../src/backend/cli.ts'), '--data-dir', dataDir, '--port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe']
    }
  )
  let out = ''
  const info = await new Promise<{ url: string; mqttUrl: string; token?: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start:\n${out}`)), 30_000)
    const read = (c: Buffer) => {
      out += c
      const url = /HTTPS API:\s+(\S+)/.exec(out)?.[1]
      const mqttUrl = /MQTT:\s+(\S+)/.exec(out)?.[1]
      // The CA line comes last; the admin token before it, and only on a data directory's first start.
      const token = /Admin token[^:]*: (\S+)/.exec(out)?.[1]
      if (url && mqttUrl && /CA:.*\n/.test(out)) {
        clearTimeout(timer)
        resolve({ url, mqttUrl, token })
      }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', (c: Buffer) => (out += c))
    child.once('exit', (code) => reject(new Error(`backend exited ${code}:\n${out}`)))
  })
  return { ...info, ca: join(dataDir, 'tls', 'ca.crt'), stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) }
}

export const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}
