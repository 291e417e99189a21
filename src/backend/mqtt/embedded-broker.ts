import { timingSafeEqual } from 'node:crypto'
import { createServer, type Server, type TLSSocket } from 'node:tls'
import { Aedes } from 'aedes'
import type { Tokens } from '../auth/tokens'
import { mayPublish, maySubscribe, type MqttIdentity } from './authorization'

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))

type Client = { id: string; otaIdentity?: MqttIdentity }

/**
 * An Aedes broker on loopback (MQTT 3.1.1 over TLS), for when no --mqtt-url is given. It checks
 * tokens on CONNECT and every publish and subscribe against the protocol's authorization rules.
 */
export async function startEmbeddedBroker(opts: { tokens: Tokens; backendUser: string; backendSecret: string; tls: { certPem: string; keyPem: string; caCertPem: string }; port?: number; host?: string }) {
  const broker = await Aedes.createBroker({
    authenticate: (client, username, password, done) => {
      const fail = () => done(Object.assign(new Error('Bad username or password'), { returnCode: 4 }) as never, false)
      const secret = password?.toString() ?? ''
      const socket = (client as unknown as { conn: TLSSocket }).conn
      if (!secret && socket?.authorized) {
        // mTLS: the certificate the backend's CA issued names the vehicle.
        return void opts.tokens.resolveCertificate(socket.getPeerCertificate().fingerprint256).then((p) => {
          if (p?.kind !== 'device' || p.vin !== username) return fail()
          ;(client as unknown as Client).otaIdentity = { kind: 'vehicle', vin: p.vin }
          done(null, true)
        }, fail)
      }
      if (username === opts.backendUser) {
        if (!sameSecret(secret, opts.backendSecret)) return fail()
        ;(client as unknown as Client).otaIdentity = { kind: 'backend' }
        return done(null, true)
      }
      opts.tokens.resolve(secret).then((principal) => {
        if (!principal) return fail()
        if (principal.kind === 'device' && principal.vin !== username) return fail()
        ;(client as unknown as Client).otaIdentity = principal.kind === 'device' ? { kind: 'vehicle', vin: principal.vin } : { kind: 'console' }
        done(null, true)
      }, fail)
    },
    authorizePublish: (client, packet, callback) => {
      const who = (client as unknown as Client | null)?.otaIdentity
      callback(who && mayPublish(who, packet.topic) ? null : new Error(`not authorized to publish to ${packet.topic}`))
    },
    authorizeSubscribe: (client, sub, callback) => {
      const who = (client as unknown as Client | null)?.otaIdentity
      // A refused subscription is answered with a failure code, not a dropped connection.
      callback(null, who && maySubscribe(who, sub.topic) ? sub : null)
    }
  })
  const server: Server = createServer({ cert: opts.tls.certPem, key: opts.tls.keyPem, ca: opts.tls.caCertPem, requestCert: true, rejectUnauthorized: false, noDelay: true }, broker.handle as never)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve())
  })
  const port = (server.address() as { port: number }).port
  return {
    url: `mqtts://${opts.host ?? '127.0.0.1'}:${port}`,
    port,
    backendSecret: opts.backendSecret,
    close: () =>
      new Promise<void>((resolve) => {
        broker.close(() => server.close(() => resolve()))
      })
  }
}
