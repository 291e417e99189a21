import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { MAX_PACKET_BYTES, VEHICLE_MESSAGE_RATE } from '../../src/shared/protocol/limits'
import { QOS, topicFor } from '../../src/shared/protocol/topics'
import { SignedRoot } from '../../src/shared/tuf/metadata'
import { backendClient } from '../../src/vehicle/backend-client'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { createVehicle } from '../../src/vehicle/vehicle'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'

const presence = JSON.stringify({ online: true })

// The embedded broker against a vehicle that sends too much, with its real device certificate: the
// vehicle is dropped, the backend says so once and carries on, and a normal vehicle is untouched.
describe('the embedded broker limits what a vehicle sends', () => {
  const data = tempDir('ota-mqtt-limits')
  const lines: string[] = []
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let token: string
  let seed = 700

  const register = async () => {
    const spec = vehicleSpec(seeded(++seed), seed, ['model_a'], 2)
    return { spec, credentials: (await enrolledVehicle(api, token, { vin: spec.vin, model: spec.model, region: spec.region })).credentials }
  }
  /** A vehicle's own MQTT connection, as a misbehaving gateway would open it. */
  const rawVehicle = async () => {
    const { spec, credentials } = await register()
    const client = await mqtt.connectAsync(backend.mqttUrl, {
      username: spec.vin,
      cert: credentials.identity.certPem,
      key: credentials.identity.keyPem,
      ca: backend.caCertPem,
      protocolVersion: 4,
      reconnectPeriod: 0
    })
    return { vin: spec.vin, client }
  }
  /** Whether the broker drops the client, or acknowledges a QoS 1 publish sent after what it did. */
  const outcome = (client: MqttClient) =>
    Promise.race([
      new Promise<string>((resolve) => client.once('close', () => resolve('disconnected'))),
      client.publishAsync(topicFor('presence', client.options.username!), presence, { qos: QOS }).then(
        () => 'acknowledged',
        () => 'disconnected'
      )
    ])

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: (line) => lines.push(line) })
    api = apiClient(backend.url, backend.caCertPem)
    token = backend.firstAdminToken!
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('drops a vehicle that publishes 5 MiB before taking it in, and logs it once', async () => {
    const { vin, client } = await rawVehicle()
    client.publish(topicFor('config', vin), Buffer.alloc(5 * 1024 * 1024, 'x'), { qos: QOS })
    expect(await outcome(client)).toBe('disconnected')
    expect(lines.filter((l) => l.includes(vin))).toEqual([
      expect.stringMatching(new RegExp(`vehicle ${vin}: a packet of 52429\\d\\d bytes, over the limit of ${MAX_PACKET_BYTES}`))
    ])
    client.end(true)

    // The backend carries on: another vehicle's presence reaches the registry.
    const other = await rawVehicle()
    await other.client.publishAsync(topicFor('presence', other.vin), presence, { qos: QOS, retain: true })
    await expect.poll(async () => (await api.get(`/api/v1/vehicles/${other.vin}`, { token })).json.online).toBe(true)
    await other.client.endAsync()
  })

  it('drops a vehicle that floods ten times its burst, and logs it once', async () => {
    const { vin, client } = await rawVehicle()
    for (let i = 0; i < VEHICLE_MESSAGE_RATE.burst * 10; i++) client.publish(topicFor('presence', vin), presence, { qos: 0 })
    expect(await outcome(client)).toBe('disconnected')
    expect(lines.filter((l) => l.includes(vin))).toEqual([
      `mqtt: disconnected vehicle ${vin}: more than ${VEHICLE_MESSAGE_RATE.burst} messages at once or ${VEHICLE_MESSAGE_RATE.perSecond} a second`
    ])
    client.end(true)
  })

  it('leaves a vehicle alone that reports in bursts and answers more relayed requests than its burst', async () => {
    const { spec, credentials } = await register()
    const client = backendClient(backend.url, backend.caCertPem)
    const vehicle = createVehicle({
      spec,
      credentials,
      backend: client,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      trustedRoot: SignedRoot.parse(await client.api().tuf.metadata({ file: '1.root.json' })),
      random: seeded(seed),
      failureRate: 0
    })
    await vehicle.connect()
    try {
      const raw = await mqtt.connectAsync(backend.mqttUrl, {
        username: spec.vin,
        cert: credentials.identity.certPem,
        key: credentials.identity.keyPem,
        ca: backend.caCertPem,
        protocolVersion: 4,
        reconnectPeriod: 0,
        clientId: `${spec.vin}-reports`
      })
      await Promise.all(Array.from({ length: VEHICLE_MESSAGE_RATE.burst / 2 }, () => raw.publishAsync(topicFor('presence', spec.vin), presence, { qos: QOS })))
      await raw.endAsync()
      for (let i = 0; i < VEHICLE_MESSAGE_RATE.burst * 1.5; i++) {
        const answer = await api.post(`/api/v1/vehicles/${spec.vin}/diag`, { token, json: { targetAddress: spec.config.gateway.logicalAddress, uds: '22F190' } })
        expect(answer.json.uds).toMatch(/^62f190/i)
      }
      expect(vehicle.connected()).toBe(true)
      expect(lines.filter((l) => l.includes(spec.vin))).toEqual([])
    } finally {
      await vehicle.disconnect()
    }
  })
})
