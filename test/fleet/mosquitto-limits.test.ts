import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { QOS, topicFor } from '../../src/shared/protocol/topics'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { startBackendOnMosquitto, type BackendOnMosquitto } from '../support/backend-on-mosquitto'
import { apiClient } from '../support/https-client'
import { enrolledVehicle } from '../support/vehicle-keys'

const presence = JSON.stringify({ online: true })

// Mosquitto with the limits.conf the backend writes (through include_dir): a vehicle publishing
// 5 MiB is dropped by the broker, and the backend and the other vehicles carry on.
describe('Mosquitto with the limits the backend writes', () => {
  let env: BackendOnMosquitto
  let api: ReturnType<typeof apiClient>

  beforeAll(async () => {
    env = await startBackendOnMosquitto('ota-mosq-limits')
    api = apiClient(env.backend.url, env.backend.caCertPem)
  })
  afterAll(() => env?.close())

  const vehicle = async (seed: number) => {
    const token = env.backend.firstAdminToken!
    const spec = vehicleSpec(seeded(seed), seed, ['model_a'], 1)
    const { identity } = await enrolledVehicle(api, token, { vin: spec.vin, model: spec.model, region: spec.region })
    const client = await mqtt.connectAsync(env.vehicleUrl, {
      username: spec.vin,
      cert: identity.certPem,
      key: identity.keyPem,
      ca: env.pki.caCertPem,
      protocolVersion: 4,
      reconnectPeriod: 0
    })
    return { vin: spec.vin, client }
  }

  it('drops a vehicle that publishes 5 MiB, and the backend still hears the others', async () => {
    const big = await vehicle(801)
    const closed = new Promise<string>((resolve) => big.client.once('close', () => resolve('disconnected')))
    big.client.publish(topicFor('config', big.vin), Buffer.alloc(5 * 1024 * 1024, 'x'), { qos: QOS })
    const after = big.client.publishAsync(topicFor('presence', big.vin), presence, { qos: QOS }).then(
      () => 'acknowledged',
      () => 'disconnected'
    )
    expect(await Promise.race([closed, after])).toBe('disconnected')
    big.client.end(true)

    const other = await vehicle(802)
    await other.client.publishAsync(topicFor('presence', other.vin), presence, { qos: QOS, retain: true })
    await expect.poll(async () => (await api.get(`/api/v1/vehicles/${other.vin}`, { token: env.backend.firstAdminToken! })).json.online).toBe(true)
    await other.client.endAsync()
  })
})
