import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { Agent } from 'node:https'
import { join } from 'node:path'
import { nodeBackendApi } from '../../net/https-transport'
import { DEFAULT_SANDBOX_FAILURE_RATE, type SandboxStatus } from '../../shared/sandbox'
import { startChild, type Child, type Launcher } from './child'
import { runtimeGroups } from '../../net/tls-groups'

export interface SandboxEndpoints {
  backendUrl: string
  mqttUrl: string
  caCertPem: string
  adminToken: string
}

export interface SandboxOptions {
  dir: string
  launcher: Launcher
  vehicles: number
  /** Told the backend's addresses and token once both programs run (the built-in profile follows them). */
  onReady(endpoints: SandboxEndpoints): Promise<void>
  onStatus(status: SandboxStatus): void
  log(line: string): void
  pollMs?: number
}

const TOKEN_VAR = 'OTA_SANDBOX_ADMIN_TOKEN'

/**
 * The "Local sandbox": the reference backend (with its embedded broker) and N simulated vehicles,
 * run as child processes on loopback, their data under the console's data directory. It needs no
 * OS keychain: its admin token is made afresh at each start and only this process and its children
 * hold it, so a machine without a Secret Service still gets a running sandbox.
 */
export function createSandbox(opts: SandboxOptions) {
  const rateFile = join(opts.dir, 'failure-rate')
  const storedRate = () => {
    try {
      const n = Number(readFileSync(rateFile, 'utf8'))
      return Number.isFinite(n) && n >= 0 && n <= 0.5 ? n : DEFAULT_SANDBOX_FAILURE_RATE
    } catch {
      return DEFAULT_SANDBOX_FAILURE_RATE
    }
  }
  let status: SandboxStatus = { state: 'off', backendUrl: null, vehicles: 0, online: 0, failureRate: storedRate(), doip: null, message: null }
  let backend: Child | undefined
  let vehicles: Child | undefined
  let poll: NodeJS.Timeout | undefined
  let stopAgent = () => {}
  let stopping = false
  // Start, stop and reset run one after another: a start never meets a stop half done.
  let chain: Promise<unknown> = Promise.resolve()
  const serial = <T>(op: () => Promise<T>): Promise<T> => {
    const next = chain.then(op)
    chain = next.catch(() => undefined)
    return next
  }
  const set = (patch: Partial<SandboxStatus>) => {
    status = { ...status, ...patch }
    opts.onStatus(status)
    return status
  }

  async function stopChildren() {
    clearInterval(poll)
    stopAgent()
    const [v, b] = [vehicles, backend]
    vehicles = backend = undefined
    stopping = true
    try {
      await v?.stop()
      await b?.stop()
    } finally {
      stopping = false
    }
  }
  const halt = async () => {
    await stopChildren()
    return set({ state: 'off', backendUrl: null, vehicles: 0, online: 0, failureRate: storedRate(), doip: null, message: null })
  }

  async function launch(): Promise<SandboxStatus> {
    set({ state: 'starting', message: null })
    try {
      const backendDir = join(opts.dir, 'backend')
      const adminToken = `ota_${randomBytes(32).toString('base64url')}`
      backend = startChild(opts.launcher, 'backend', ['--data-dir', backendDir, '--port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0', '--admin-token-env', TOKEN_VAR], {
        [TOKEN_VAR]: adminToken
      })
      const [, url, mqttUrl] = await backend.waitFor(/HTTPS API:\s+(\S+)[\s\S]*MQTT:\s+(\S+)[\s\S]*CA:\s+\S+/, 60_000)
      const caFile = join(backendDir, 'tls', 'ca.crt')
      // The first vehicle also answers DoIP on loopback, for the Workshop. On any free port, not
      // 13400: that one may be held by another sandbox or a bench vehicle, and one started later
      // must still get it; the status says where. One vehicle is enough for a workshop and spares
      // the other N - 1 a TCP and a UDP socket each.
      const doipArgs = ['--doip-port', '0', '--doip-host', '127.0.0.1', '--doip-vehicles', '1']
      vehicles = startChild(
        opts.launcher,
        'vehicles',
        [
          '--count',
          String(opts.vehicles),
          '--backend',
          url!,
          '--mqtt-url',
          mqttUrl!,
          '--ca',
          caFile,
          '--state',
          join(opts.dir, 'vehicles'),
          '--seed',
          '1',
          '--failure-rate',
          String(status.failureRate),
          '--poll-seconds',
          '30',
          ...doipArgs
        ],
        { OTA_TOKEN: adminToken }
      )
      const [, vin, doipHost, doipPort] = await vehicles.waitFor(/\d+ simulated vehicles[\s\S]*?VIN (\w+): DoIP on (\S+) TCP (\d+)/, 120_000)
      const caCertPem = readFileSync(caFile, 'utf8')
      await opts.onReady({ backendUrl: url!, mqttUrl: mqttUrl!, caCertPem, adminToken })
      const agent = new Agent({ ca: caCertPem, keepAlive: true, ecdhCurve: runtimeGroups() })
      // The poll comes again in a moment: no retries of its own.
      const api = nodeBackendApi(url!, agent, { headers: { authorization: `Bearer ${adminToken}` }, attempts: 1 })
      stopAgent = () => agent.destroy()
      const refresh = async () => {
        try {
          const summary = await api.vehicles.summary()
          if (summary.total !== status.vehicles || summary.online !== status.online) set({ vehicles: summary.total, online: summary.online })
        } catch (err) {
          opts.log(`sandbox: summary failed: ${(err as Error).message}`)
        }
      }
      await refresh()
      poll = setInterval(refresh, opts.pollMs ?? 2000)
      // A child that dies takes the sandbox down with a reason, rather than leaving a half.
      for (const child of [backend, vehicles]) {
        child.onExit((code) => {
          if (stopping || status.state !== 'running') return
          void stopChildren().then(() =>
            set({ state: 'failed', doip: null, message: `a sandbox process exited (${code}): ${child.output().trim().split('\n').slice(-2).join(' | ')}` })
          )
        })
      }
      return set({ state: 'running', backendUrl: url!, doip: { host: doipHost!, port: Number(doipPort), vin: vin! } })
    } catch (err) {
      await stopChildren()
      opts.log(`sandbox: ${(err as Error).stack ?? String(err)}`)
      return set({ state: 'failed', doip: null, message: (err as Error).message })
    }
  }

  return {
    status: () => status,
    start: () => serial(async () => (status.state === 'running' ? status : launch())),
    stop: () => serial(halt),
    /** Kept across starts; a running sandbox restarts (its data stays) for the vehicles to take it. */
    setFailureRate: (percent: number) =>
      serial(async () => {
        await mkdir(opts.dir, { recursive: true })
        await writeFile(rateFile, String(percent / 100))
        const wasRunning = status.state === 'running'
        set({ failureRate: storedRate() })
        if (!wasRunning) return status
        await halt()
        return launch()
      }),
    /** Everything the sandbox holds is removed and it starts again from nothing. */
    reset: () =>
      serial(async () => {
        await halt()
        await rm(opts.dir, { recursive: true, force: true })
        return launch()
      })
  }
}
export type Sandbox = ReturnType<typeof createSandbox>
