import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort, waitForPort } from './free-port'
import type { TestPki } from './pki'

export interface RunningMosquitto {
  port: number
  url: string
  stop(): Promise<void>
  /** Stops and starts the broker on the same port and files (persistence, if on, survives). */
  restart(): Promise<void>
  /** SIGHUP: re-reads the password file, ACL and CRL. */
  reload(): void
  /**
   * Adds the vehicles' listener, as the backend's Mosquitto deployment has it: device certificates
   * only (checked against the device CA and its CRL), the certificate's CN as username and client
   * id, the same ACL. The broker restarts on the same files to open it; answers its mqtts:// URL.
   */
  addVehicleListener(files: { caFile: string; crlFile: string }): Promise<string>
}

export interface MosquittoFiles {
  passwordFile?: string
  aclFile?: string
  /** Keep sessions and queued messages across a restart. */
  persistenceDir?: string
  /** Read every .conf file in this folder too (the limits the backend writes). */
  includeDir?: string
}

/** A real Mosquitto broker with a TLS listener and password authentication, on a free loopback port. */
export async function startMosquitto(dir: string, pki: TestPki, users: Record<string, string>, files: MosquittoFiles = {}): Promise<RunningMosquitto> {
  const port = await freePort()
  const passwd = files.passwordFile ?? join(dir, 'passwd')
  if (!files.passwordFile) {
    writeFileSync(passwd, '')
    for (const [user, password] of Object.entries(users)) execFileSync('mosquitto_passwd', ['-b', passwd, user, password])
    chmodSync(passwd, 0o644)
  }
  const conf = join(dir, 'mosquitto.conf')
  let vehicles: { port: number; caFile: string; crlFile: string } | undefined
  const writeConf = () => {
    writeFileSync(
      conf,
      [
        'per_listener_settings true',
        `listener ${port} 127.0.0.1`,
        `cafile ${pki.caCertFile}`,
        `certfile ${pki.serverCertFile}`,
        `keyfile ${pki.serverKeyFile}`,
        'allow_anonymous false',
        `password_file ${passwd}`,
        ...(files.aclFile ? [`acl_file ${files.aclFile}`] : []),
        ...(vehicles
          ? [
              `listener ${vehicles.port} 127.0.0.1`,
              `cafile ${vehicles.caFile}`,
              `crlfile ${vehicles.crlFile}`,
              `certfile ${pki.serverCertFile}`,
              `keyfile ${pki.serverKeyFile}`,
              'require_certificate true',
              'use_identity_as_username true',
              'use_username_as_clientid true',
              'allow_anonymous false',
              ...(files.aclFile ? [`acl_file ${files.aclFile}`] : [])
            ]
          : []),
        ...(files.persistenceDir ? ['persistence true', `persistence_location ${files.persistenceDir}/`, 'autosave_interval 1'] : ['persistence false']),
        // The backend's session queues every vehicle's reports while it reconnects; no cap (see docs/protocol.md).
        'max_queued_messages 0',
        // Relayed diagnostics are small request/answer packets: without it each waits ~40 ms for an ACK (docs/protocol.md).
        'set_tcp_nodelay true',
        'log_dest stderr',
        ...(files.includeDir ? [`include_dir ${files.includeDir}`] : []),
        ''
      ].join('\n')
    )
    chmodSync(conf, 0o644)
  }
  writeConf()
  let child = await launch(conf, port)
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve()
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
    })
  return {
    port,
    url: `mqtts://127.0.0.1:${port}`,
    stop,
    async restart() {
      await stop()
      child = await launch(conf, port)
    },
    reload: () => void child.kill('SIGHUP'),
    async addVehicleListener({ caFile, crlFile }) {
      vehicles = { port: await freePort(), caFile, crlFile }
      writeConf()
      await stop()
      child = await launch(conf, port)
      await waitForPort(vehicles.port, Date.now() + 10_000, 'mosquitto')
      return `mqtts://127.0.0.1:${vehicles.port}`
    }
  }
}

async function launch(conf: string, port: number) {
  const child = spawn('mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] })
  let log = ''
  child.stderr.on('data', (d) => (log += d))
  try {
    await waitForPort(port, Date.now() + 10_000, 'mosquitto')
  } catch (err) {
    child.kill()
    throw new Error(`${(err as Error).message}\n${log}`, { cause: err })
  }
  return child
}
