import { request } from 'node:https'
import mqtt, { type IClientOptions } from 'mqtt'
import { WebSocket, type ClientOptions } from 'ws'
import { isIP } from 'node:net'
import { connect, type TLSSocket } from 'node:tls'
import { describeRequirement } from '../../shared/security-profiles'
import { offeredGroups } from '../../net/tls-groups'
import { refusedOurOffer } from '../../net/tls-policy'
import type { ConnectionTestResult, ProbeResult, ProfileView, TlsSummary } from '../../shared/profile'
import { describeError } from '../../shared/errors'
import { classifyFailure } from './classify-failure'
import type { ResolvedSecrets } from './profile-secrets'
import { authorizationHeader, mqttTlsOptions, tlsOptions } from './credentials'
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
    try {
      cleanup = run(settle, (socket) => (tls = tlsSummaryOf(socket)))
    } catch (err) {
      settle({ ok: false, cause: classifyFailure(err), detail: describeError(err) })
    }
  })
}

/**
 * A handshake under a TLS minimum that the server turned down: one more handshake offering every
 * group (nothing is sent over it) finds what the server would negotiate, so the refusal can say
 * "this server speaks only X25519" instead of "handshake failure".
 */
async function explainRefusal(profile: ProfileView, url: string, result: ProbeResult, timeoutMs: number): Promise<ProbeResult> {
  if (result.ok || profile.tlsMinimum === 'any' || !refusedOurOffer(result.detail)) return result
  const { hostname, port, protocol } = new URL(url)
  const defaultPort = protocol === 'mqtts:' ? 8883 : 443
  const seen = await new Promise<TlsSummary | null>((resolve) => {
    const socket = connect({
      host: hostname.replace(/^\[|\]$/g, ''),
      port: Number(port) || defaultPort,
      servername: isIP(hostname) ? undefined : hostname,
      ecdhCurve: offeredGroups('any'),
      rejectUnauthorized: false
    })
    const done = (summary: TlsSummary | null) => (socket.destroy(), resolve(summary))
    socket.setTimeout(timeoutMs, () => done(null))
    socket.once('secureConnect', () => done(tlsSummaryOf(socket)))
    socket.once('error', () => done(null))
  })
  if (!seen) return result
  const verdict = seen.quantumSafe ? 'quantum-safe' : 'classical'
  return {
    ...result,
    cause: 'tls-too-weak',
    detail: `the server negotiates ${seen.group ?? 'no named group'} (${verdict} key exchange) with a ${seen.certificateSignature ?? 'unknown'} certificate; this connection requires ${describeRequirement(profile.tlsMinimum)}`,
    tls: seen
  }
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
      ...mqttTlsOptions({ profile, secrets }),
      // Over wss:// the TLS socket is the WebSocket's; its upgrade answer shows it.
      createWebsocket: (url: string, protocols: string[], options: IClientOptions) => {
        const socket = new WebSocket(url, protocols, options.wsOptions as ClientOptions)
        socket.once('upgrade', (res) => secured(res.socket as TLSSocket))
        return socket
      }
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
  const [https, mqttResult] = await Promise.all([
    probeHttps(profile, secrets, timeoutMs).then((r) => explainRefusal(profile, profile.backendUrl, r, timeoutMs)),
    probeMqtt(profile, secrets, timeoutMs).then((r) => explainRefusal(profile, profile.mqttUrl, r, timeoutMs))
  ])
  return { https, mqtt: mqttResult }
}
