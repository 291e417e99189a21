import { runtimeGroups } from '../../src/net/tls-groups'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEmbeddedBroker } from '../../src/backend/mqtt/embedded-broker'
import { createDeviceSessions } from '../../src/backend/pki/sessions'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { QOS, topicFor } from '../../src/shared/protocol/topics'
import { demoXorRotateKey, fromHex, toHex } from '../../src/shared/uds'
import type { Vehicle } from '../../src/vehicle/vehicle'
import { makePki } from '../support/pki'
import { connectedVehicle } from '../support/simulated-vehicle'
import { tempDir } from '../support/temp-dir'

// The gateway's side of the MQTT diagnostic relay: the test plays the backend on the embedded
// broker (its real authorization rules and the vehicle's real device token), publishes diagRequest
// as src/backend/mqtt/fleet-link.ts publishes, and reads diagResponse and the version report.
describe('a simulated vehicle answering UDS relayed over MQTT', () => {
  const data = tempDir('ota-diag-relay')
  const BACKEND_SECRET = randomBytes(16).toString('hex')
  let backend: RunningBackend
  let broker: Awaited<ReturnType<typeof startEmbeddedBroker>>
  let relay: MqttClient
  let vehicle: Vehicle
  const responses = new Map<string, Record<string, unknown>>()
  const reports: { ecu: string; software: string }[][] = []

  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
    const pki = makePki(data.dir)
    broker = await startEmbeddedBroker({
      tokens: backend.services.tokens,
      certificates: backend.services.certificates,
      sessions: createDeviceSessions(),
      backendUser: 'ota-backend',
      backendSecret: BACKEND_SECRET,
      tls: { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, caCertPem: pki.caCertPem, clientCaPem: backend.services.deviceCa.certPem, groups: runtimeGroups() },
      log: () => {}
    })
    vehicle = await connectedVehicle(backend, { mqttUrl: broker.url, caCertPem: pki.caCertPem, seed: 21, ecus: 2 })

    relay = await mqtt.connectAsync(broker.url, { username: 'ota-backend', password: BACKEND_SECRET, ca: pki.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
    await relay.subscribeAsync([topicFor('diagResponse', vehicle.spec.vin), topicFor('config', vehicle.spec.vin)], { qos: QOS })
    relay.on('message', (topic, payload) => {
      const message = JSON.parse(payload.toString())
      if (topic.endsWith('/diag/response')) responses.set(message.correlationId, message)
      else reports.push(message.zonalGateways.flatMap((z: { ecus: { id: string; software: string }[] }) => z.ecus.map((e) => ({ ecu: e.id, software: e.software }))))
    })
  })
  afterAll(async () => {
    await vehicle?.disconnect()
    await relay?.endAsync()
    await broker?.close()
    await backend?.close()
    data.remove()
  })

  let sequence = 0
  /** Publishes a diagRequest and waits for the vehicle's diagResponse. */
  async function relayed(targetAddress: number, uds: string, timeoutMs = 2000) {
    const correlationId = `c${++sequence}`
    await relay.publishAsync(topicFor('diagRequest', vehicle.spec.vin), JSON.stringify({ correlationId, targetAddress, uds: uds.replaceAll(' ', ''), timeoutMs }), { qos: QOS })
    await expect.poll(() => responses.has(correlationId), { timeout: 5000, interval: 10 }).toBe(true)
    return responses.get(correlationId)!
  }

  it("answers with the addressed ECU's response, by correlation id", async () => {
    const vinHex = toHex(Uint8Array.from(vehicle.spec.vin, (c) => c.charCodeAt(0)))
    expect(await relayed(0x1001, '22 F1 90')).toEqual({ correlationId: 'c1', sourceAddress: 0x1001, uds: `62F190${vinHex}` })
    expect(await relayed(0x0e00, '22 F1 90')).toEqual({ correlationId: 'c2', sourceAddress: 0x0e00, uds: `62F190${vinHex}` })
    expect(await relayed(0x1002, '22 12 34')).toMatchObject({ sourceAddress: 0x1002, uds: '7F2231' })
    // A suppressed positive response: neither uds nor error.
    expect(await relayed(0x1001, '3E 80')).toEqual({ correlationId: 'c4', sourceAddress: 0x1001 })
    expect(await relayed(0x2000, '22 F1 90')).toMatchObject({ sourceAddress: 0x2000, error: expect.stringContaining('no ECU at 0x2000') })
    expect(await relayed(0xe400, '3E 00')).toMatchObject({ error: expect.stringContaining('functional addressing is not relayed') })
    expect(await relayed(0x1001, '22 F1 9')).toMatchObject({ sourceAddress: 0x1001, error: 'malformed diagRequest: uds: hex bytes' })
  })

  it('runs a flash through the relay; the reset ECU reports its new version on the config topic', async () => {
    const image = new Uint8Array(randomBytes(6000))
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(image) >>> 0)
    const ask = async (uds: string) => ((await relayed(0x1002, uds)).uds as string | undefined) ?? ''
    expect(await ask('10 02')).toBe('5002003201F4')
    const seed = fromHex((await ask('27 01')).slice(4))
    expect(await ask(`27 02 ${toHex(demoXorRotateKey(seed, 1))}`)).toBe('6702')
    expect(await ask(`2E F1 A0 ${toHex(Uint8Array.from('1.4.0', (c) => c.charCodeAt(0)))}`)).toBe('6EF1A0')
    // The erase answers 7F 31 78 first; the relay sends only the final answer.
    expect(await ask('31 01 FF 00 44 00 00 00 00 00 00 17 70')).toBe('7101FF0000')
    // maxNumberOfBlockLength 4096: a full block is the most one diagRequest carries.
    expect(await ask('34 00 44 00 00 00 00 00 00 17 70')).toBe('74201000')
    expect(await ask(`36 01 ${toHex(image.subarray(0, 4094))}`)).toBe('7601')
    expect(await ask(`36 02 ${toHex(image.subarray(4094))}`)).toBe('7602')
    expect(await ask(`37 ${toHex(crc)}`)).toBe(`77${toHex(crc)}`)
    expect(await ask('31 01 FF 01')).toBe('7101FF0100')
    const before = reports.length
    expect(await ask('11 01')).toBe('5101')
    await expect.poll(() => reports.length, { timeout: 5000 }).toBeGreaterThan(before)
    expect(reports.at(-1)).toContainEqual({ ecu: 'ECU_002', software: '1.4.0' })
    expect(vehicle.versions().ECU_002).toBe('1.4.0')
    expect(await ask('22 F1 95')).toBe(`62F195${toHex(Uint8Array.from('1.4.0', (c) => c.charCodeAt(0)))}`)
  })
})
