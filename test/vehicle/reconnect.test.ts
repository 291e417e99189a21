import { runtimeGroups } from '../../src/net/tls-groups'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedBroker } from '../../src/backend/mqtt/embedded-broker'
import { createDeviceSessions } from '../../src/backend/pki/sessions'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { QOS, topicFor } from '../../src/shared/protocol/topics'
import { VEHICLE_RECONNECT } from '../../src/shared/reconnect'
import type { Vehicle } from '../../src/vehicle/vehicle'
import { makePki } from '../support/pki'
import { connectedVehicle } from '../support/simulated-vehicle'
import { tempDir } from '../support/temp-dir'

// The embedded broker (in memory: no sessions, no retained messages survive it) restarts on the
// same port under a vehicle, which comes back by its own backoff policy: within its cap.
describe('a vehicle across a broker restart', () => {
  const data = tempDir('ota-vehicle-reconnect')
  const BACKEND_SECRET = randomBytes(16).toString('hex')
  let backend: RunningBackend
  let pki: ReturnType<typeof makePki>
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>>
  let vehicle: Vehicle
  let relay: MqttClient | undefined

  const startBroker = (port?: number) =>
    startEmbeddedBroker({
      tokens: backend.services.tokens,
      certificates: backend.services.certificates,
      sessions: createDeviceSessions(),
      backendUser: 'ota-backend',
      backendSecret: BACKEND_SECRET,
      tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, caCertPem: pki.caCertPem, clientCaPem: backend.services.deviceCa.certPem, groups: runtimeGroups() },
      port,
      log: () => {}
    })

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
    pki = makePki(data.dir)
    broker = await startBroker()
    vehicle = await connectedVehicle(backend, { mqttUrl: broker.url, caCertPem: pki.caCertPem, seed: 13, ecus: 2 })
  })
  afterAll(async () => {
    await vehicle?.disconnect()
    await relay?.endAsync()
    await broker?.close()
    await backend?.close()
    data.remove()
  })

  it('connects again, says it is online and answers requests on its topics', async () => {
    const { vin } = vehicle.spec
    await broker.close()
    // Nothing listens on the port until the new broker starts, so the vehicle cannot be back before.
    await expect.poll(() => vehicle.connected(), { interval: 10 }).toBe(false)
    broker = await startBroker(broker.port)

    relay = await mqtt.connectAsync(broker.url, { username: 'ota-backend', password: BACKEND_SECRET, ca: pki.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
    const messages: { topic: string; message: Record<string, unknown> }[] = []
    relay.on('message', (topic, payload) => messages.push({ topic, message: JSON.parse(payload.toString()) }))
    // Presence is retained: it arrives whether the vehicle is back before or after this subscription.
    await relay.subscribeAsync([topicFor('presence', vin), topicFor('diagResponse', vin)], { qos: QOS })
    const heard = (topic: string, match: Record<string, unknown>) => messages.some((m) => m.topic === topic && Object.entries(match).every(([k, v]) => m.message[k] === v))
    await expect.poll(() => heard(topicFor('presence', vin), { online: true }), { timeout: VEHICLE_RECONNECT.capMs + 5_000, interval: 50 }).toBe(true)
    expect(vehicle.connected()).toBe(true)

    // Subscribed again on a broker that has forgotten its session.
    await relay.publishAsync(topicFor('diagRequest', vin), JSON.stringify({ correlationId: 'after-restart', targetAddress: 0x1001, uds: '3E00', timeoutMs: 2000 }), { qos: QOS })
    await expect.poll(() => heard(topicFor('diagResponse', vin), { correlationId: 'after-restart', uds: '7E00' }), { timeout: 5_000, interval: 20 }).toBe(true)
  }, 60_000)
})
