import { X509Certificate } from 'node:crypto'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { topicFor } from '../../src/shared/protocol/topics'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { startBackendOnMosquitto, type BackendOnMosquitto } from '../support/backend-on-mosquitto'
import { apiClient } from '../support/https-client'
import { enrolledVehicle } from '../support/vehicle-keys'

// On a real Mosquitto the vehicles' listener takes device certificates only, checked against the
// device CA and the CRL the backend writes; a revocation closes the vehicle's session (the backend
// takes its client id over) and the broker, told to re-read the CRL, refuses the certificate after.
describe('device certificates on Mosquitto', () => {
  let env: BackendOnMosquitto
  let api: ReturnType<typeof apiClient>

  beforeAll(async () => {
    env = await startBackendOnMosquitto('ota-mosq-pki')
    api = apiClient(env.backend.url, env.backend.caCertPem)
  })
  afterAll(() => env?.close())

  it('logs a vehicle in by its certificate alone, as its VIN; a revocation closes its session within 10 s and Mosquitto refuses it after', async () => {
    const token = env.backend.firstAdminToken!
    const spec = vehicleSpec(seeded(4501), 4501, ['model_a'], 1)
    const { identity } = await enrolledVehicle(api, token, { vin: spec.vin, model: spec.model, region: spec.region })
    const login = { cert: identity.certPem, key: identity.keyPem, ca: env.pki.caCertPem, protocolVersion: 4 as const, reconnectPeriod: 0 }
    // Whatever username it claims, Mosquitto takes the certificate's CN, so the ACL lets it use its own VIN's topics.
    const client = await mqtt.connectAsync(env.vehicleUrl, { ...login, username: 'SOMEONEELSE000000' })
    await client.publishAsync(topicFor('presence', spec.vin), JSON.stringify({ online: true, at: new Date().toISOString() }), { qos: 1, retain: true })
    await expect.poll(async () => (await api.get(`/api/v1/vehicles/${spec.vin}`, { token })).json.online, { timeout: 5_000 }).toBe(true)
    const closed = new Promise<number>((resolve) => client.once('close', () => resolve(Date.now())))

    const serial = new X509Certificate(identity.certPem).serialNumber.toLowerCase()
    const t0 = Date.now()
    expect((await api.post(`/api/v1/certificates/${serial}/revoke`, { token, json: { reason: 'keyCompromise' } })).status).toBe(200)
    expect((await closed) - t0).toBeLessThan(10_000)
    client.end(true)
    // Mosquitto re-reads the CRL on SIGHUP, which the backend sends after writing it.
    await expect
      .poll(
        async () =>
          String(
            await mqtt.connectAsync(env.vehicleUrl, login).then(
              (c) => (c.end(true), 'connected'),
              (e: Error) => e.message
            )
          ),
        { timeout: 10_000, interval: 250 }
      )
      .not.toBe('connected')
    // A vehicle without a certificate is not let in at all.
    const bare = await mqtt.connectAsync(env.vehicleUrl, { ca: env.pki.caCertPem, protocolVersion: 4, reconnectPeriod: 0, username: spec.vin }).catch((e: Error) => e)
    expect(bare).toBeInstanceOf(Error)
  })
})
