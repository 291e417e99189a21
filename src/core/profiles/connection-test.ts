import { request } from 'node:https'
import mqtt from 'mqtt'
import type { TLSSocket } from 'node:tls'
import type { ConnectionTestResult, ProbeResult, ProfileView, TlsSummary } from '../../shared/profile'
import { describeError } from '../../shared/errors'
import { classifyFailure } from './classify-failure'
import type { ResolvedSecrets } from './profile-secrets'
import { authorizationHeader, tlsOptions } from './credentials'
import { tlsSummaryOf } from './tls-summary'

export interface ProbeOptions {
  timeoutMs?: number
}

const elapsed = (start: number) => Math.round(performance.now() - start)

// Omit over a union would merge its members; distribute it instead.
type Outcome = ProbeResult extends infer R ? (R extends ProbeResult ? Omit<R, 'ms' | 'tls'> : never) : never

/**
 * Races a probe against a deadline, so a peer that never answers is reported as a timeout. The
 * probe shows its TLS socket once the handshake completes, and the result says what it settled on.
 */
function withDeadline(timeoutMs: number, run: (settle: (r: Outcome) => void, secured: (socket: TLSSocket) => void) => () => void) {
  const start = performance.now()
  let tls: TlsSummary | null = null
  return new Promise<ProbeResult>((resolve) => {
    let done = false
    let cleanup: () => void = () => {}
    const settle = (r: Outcome) => {
      if (done) return
      done = true
      clearTimeout(timer)
      cleanup()
      resolve({ ...r, ms: elapsed(start), tls } as ProbeResult)
    }
    const timer = setTimeout(() => settle({ ok: false, cause: 'timeout', detail: `no answer within ${timeoutMs} ms` }), timeoutMs)
    cleanup = run(settle, (socket) => (tls = tlsSummaryOf(socket)))
  })
}

export function probeHttps(profile: ProfileView, secrets: ResolvedSecrets, timeoutMs: number) {
  return withDeadline(timeoutMs, (settle, secured) => {
    const headers = authorizationHeader({ profile, secrets })
    const req = request(profile.backendUrl, { method: 'GET', headers, agent: false, ...tlsOptions({ profile, secrets }) }, (res) => {
      res.resume()
      const status = res.statusCode ?? 0
      if (status === 401 || status === 403) settle({ ok: false, cause: 'auth-rejected', detail: `HTTP ${status}` })
      else settle({ ok: true, detail: `HTTP ${status}, certificate trusted` })
    })
    req.on('socket', (socket) => socket.once('secureConnect', () => secured(socket as TLSSocket)))
    req.on('error', (err) => settle({ ok: false, cause: classifyFailure(err), detail: describeError(err) }))
    req.end()
    return () => req.destroy()
  })
}

export function probeMqtt(profile: ProfileView, secrets: ResolvedSecrets, timeoutMs: number) {
  return withDeadline(timeoutMs, (settle, secured) => {
    const client = mqtt.connect(profile.mqttUrl, {
      protocolVersion: 4,
      clientId: `ota-console-test-${Math.random().toString(16).slice(2, 10)}`,
      username: profile.username || undefined,
      password: secrets.password,
      reconnectPeriod: 0,
      connectTimeout: timeoutMs,
      rejectUnauthorized: true,
      ...tlsOptions({ profile, secrets })
    })
    // mqtt.js makes its socket in connect(); an mqtt:// URL has no TLS to report.
    const stream = client.stream as Partial<TLSSocket> | undefined
    stream?.once?.('secureConnect', () => secured(stream as TLSSocket))
    client.on('connect', () => settle({ ok: true, detail: 'CONNACK accepted' }))
    client.on('error', (err) => settle({ ok: false, cause: classifyFailure(err), detail: describeError(err) }))
    client.on('close', () => settle({ ok: false, cause: 'other', detail: 'the broker closed the connection before CONNACK' }))
    return () => client.end(true)
  })
}

/** HTTPS reachability with TLS validation and an MQTT CONNACK, run side by side. */
export async function testConnection(profile: ProfileView, secrets: ResolvedSecrets, { timeoutMs = 8000 }: ProbeOptions = {}): Promise<ConnectionTestResult> {
  const [https, mqttResult] = await Promise.all([probeHttps(profile, secrets, timeoutMs), probeMqtt(profile, secrets, timeoutMs)])
  return { https, mqtt: mqttResult }
}
