import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, waitForPort } from './free-port'
import { tempDir } from './temp-dir'

export interface RunningHaproxy {
  url: string
  port: number
  stop(): Promise<void>
}

/**
 * HAProxy in front of backend instances, TCP mode: TLS goes through to the instances, whose
 * device-certificate checks need the vehicle's own handshake. Each instance is checked by its
 * GET /ready over TLS (checked against `caFile`); one that fails two checks 200 ms apart is out,
 * and a connection it refuses goes to another.
 */
export async function startHaproxy(servers: { host: string; port: number }[], caFile: string): Promise<RunningHaproxy> {
  const dir = tempDir('ota-haproxy')
  const port = await freePort()
  const conf = join(dir.dir, 'haproxy.cfg')
  writeFileSync(
    conf,
    [
      'global',
      '  maxconn 8000',
      'defaults',
      '  mode tcp',
      // Every vehicle keeps its connections open: the default of 2,000 a frontend would queue the rest.
      '  maxconn 8000',
      '  timeout connect 2s',
      '  timeout client 60s',
      '  timeout server 60s',
      '  retries 3',
      '  option redispatch',
      `frontend api`,
      `  bind 127.0.0.1:${port}`,
      '  default_backend instances',
      'backend instances',
      '  balance roundrobin',
      '  option httpchk GET /ready',
      '  http-check expect status 200',
      ...servers.map((s, i) => `  server i${i} ${s.host}:${s.port} check check-ssl verify required ca-file ${caFile} inter 200ms fall 2 rise 2`),
      ''
    ].join('\n')
  )
  const child = spawn('haproxy', ['-f', conf, '-db'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`haproxy exited (${code}):\n${output}`))))
  // Once listening, a later exit (stop) is no failure of the start.
  exited.catch(() => undefined)
  await Promise.race([waitForPort(port, Date.now() + 10_000, 'haproxy'), exited]).catch((err: Error) => Promise.reject(new Error(`${err.message}\n${output}`)))
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(undefined) : child.once('exit', resolve)))
      dir.remove()
    }
  }
}
