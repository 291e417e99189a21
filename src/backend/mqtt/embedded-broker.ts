import { timingSafeEqual } from 'node:crypto'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import { createWebSocketStream, WebSocketServer } from 'ws'
import { Aedes } from 'aedes'
import { MAX_PACKET_BYTES, VEHICLE_MESSAGE_RATE } from '../../shared/protocol/limits'
import { matchTopic } from '../../shared/protocol/topics'
import type { Tokens } from '../auth/tokens'
import { mayPublish, maySubscribe, type MqttIdentity } from './authorization'
import { packetSizeGuard } from './packet-size'
import { createRateLimiter } from './rate-limit'
import type { ServerTls } from '../tls/ca'
import type { DeviceCertificates } from '../pki/device-certificates'
import type { DeviceSessions } from '../pki/sessions'

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

type Client = { id: string; closed: boolean; otaIdentity?: MqttIdentity; otaLimited?: boolean }

const nameOf = (client: Client) => (client.otaIdentity?.kind === 'vehicle' ? `vehicle ${client.otaIdentity.vin}` : `client ${client.id ?? '(not connected)'}`)

/**
 * An Aedes broker on loopback (MQTT 3.1.1 over TLS, and over WebSocket on TLS), for when no --mqtt-url is given. It checks
 * vehicles' device certificates and consoles' tokens on CONNECT, and every publish and subscribe against the protocol's authorization rules,
 * and drops a connection that sends a packet over MAX_PACKET_BYTES or a vehicle that sends faster
 * than VEHICLE_MESSAGE_RATE, logging each once.
 */
export async function startEmbeddedBroker(opts: {
  tokens: Tokens
  certificates: DeviceCertificates
  sessions: DeviceSessions
  backendUser: string
  backendSecret: string
  tls: ServerTls
  port?: number
  /** The MQTT-over-WebSocket listener's port; 0 or absent for any free one. */
  wsPort?: number
  host?: string
  log: (line: string) => void
}) {
  const rate = createRateLimiter(VEHICLE_MESSAGE_RATE)
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const fail = (returnCode = 4) => done(Object.assign(new Error('Bad username or password'), { returnCode }) as never, false)
      const secret = password?.toString() ?? ''
      const socket = (client as unknown as { conn: Partial<TLSSocket> }).conn
      if (username === opts.backendUser) {
        if (!sameSecret(secret, opts.backendSecret)) return fail()
        ;(client as unknown as Client).otaIdentity = { kind: 'backend' }
        return done(null, true)
      }
      if (!secret) {
        // A vehicle: its device certificate is its identity, and names the VIN it may use.
        if (typeof socket?.getPeerCertificate !== 'function') return fail(5)
        return void opts.certificates.identify(socket as TLSSocket).then(
          (id) => {
            if (!id || 'refused' in id) return fail(5)
            if (id.principal.vin !== username) {
              opts.log(`mqtt: refused ${username}: its device certificate is ${id.principal.vin}'s`)
              return fail(5)
            }
            ;(client as unknown as Client).otaIdentity = { kind: 'vehicle', vin: id.principal.vin }
            ;(socket as TLSSocket).once(
              'close',
              opts.sessions.add(id.serial, id.notAfter, () => (client as unknown as { close(): void }).close())
            )
            done(null, true)
          },
          () => fail()
        )
      }
      // Consoles log in with their user's token.
      opts.tokens.resolve(secret).then(
        (principal) => {
          if (!principal) return fail()
          ;(client as unknown as Client).otaIdentity = { kind: 'console' }
          done(null, true)
        },
        () => fail()
      )
    },
    authorizePublish: (client, packet, callback) => {
      const c = client as unknown as Client | null
      const who = c?.otaIdentity
      if (!who || !mayPublish(who, packet.topic)) return callback(new Error(`not authorized to publish to ${packet.topic}`))
      const match = who.kind === 'backend' ? matchTopic(packet.topic) : undefined
      if (match?.name === 'diagRequest') rate.give(match.vin!)
      // A vehicle's last will is published after it is closed, and always goes out.
      if (who.kind !== 'vehicle' || c!.closed || (!c!.otaLimited && rate.take(who.vin))) return callback(null)
      // The publishes it sent after are refused too, with one line per connection.
      if (!c!.otaLimited) opts.log(`mqtt: disconnected ${nameOf(c!)}: more than ${VEHICLE_MESSAGE_RATE.burst} messages at once or ${VEHICLE_MESSAGE_RATE.perSecond} a second`)
      c!.otaLimited = true
      callback(new Error('message rate exceeded'))
    },
    authorizeSubscribe: (client, sub, callback) => {
      const who = (client as unknown as Client | null)?.otaIdentity
      // A refused subscription is answered with a failure code, not a dropped connection.
      callback(null, who && maySubscribe(who, sub.topic) ? sub : null)
    }
  })
  // One handler for both listeners: Aedes takes a stream, and the packet-size guard reads it first.
  const serve = (stream: Duplex) => {
    const client = broker.handle(stream as never) as unknown as Client
    // With Aedes reading on 'readable', 'data' sees each chunk as it is read, before the MQTT parser buffers it.
    const tooLarge = packetSizeGuard(MAX_PACKET_BYTES)
    stream.on('data', (chunk: Buffer) => {
      const size = tooLarge(chunk)
      if (size === undefined) return
      opts.log(`mqtt: disconnected ${nameOf(client)}: a packet of ${size} bytes, over the limit of ${MAX_PACKET_BYTES}`)
      stream.destroy()
    })
  }
  const server: Server = createServer(
    { cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.clientCaPem, requestCert: true, rejectUnauthorized: false, noDelay: true, ecdhCurve: opts.tls.groups },
    serve
  )
  // MQTT over WebSocket (wss://…/mqtt), for consoles and tools behind proxies that pass only HTTPS; tokens only, no client certificates.
  const wssServer = createHttpsServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, ecdhCurve: opts.tls.groups })
  const wss = new WebSocketServer({ server: wssServer, path: '/mqtt', maxPayload: MAX_PACKET_BYTES + 16 })
  wss.on('connection', (socket) => serve(createWebSocketStream(socket)))
  const listen = (target: Server | HttpsServer, port: number | undefined) =>
    new Promise<number>((resolve, reject) => {
      target.once('error', reject)
      target.listen(port ?? 0, opts.host ?? '127.0.0.1', () => resolve((target.address() as AddressInfo).port))
    })
  const port = await listen(server, opts.port)
  const wsPort = await listen(wssServer, opts.wsPort)
  const host = opts.host ?? '127.0.0.1'
  return {
    url: `mqtts://${host}:${port}`,
    wsUrl: `wss://${host}:${wsPort}/mqtt`,
    port,
    backendSecret: opts.backendSecret,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        broker.close(() => server.close(() => wssServer.close(() => resolve())))
      })
  }
}
