import { join } from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OfferedUpdate } from '../../src/shared/fleet/device'
import { SignedRoot } from '../../src/shared/tuf/metadata'
import { topicFor } from '../../src/shared/protocol/topics'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { backendClient } from '../../src/vehicle/backend-client'
import { startFleet } from '../../src/vehicle/fleet'
import { hardwareFor, vehicleSpec, type VehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { createVehicle, type VehicleOptions } from '../../src/vehicle/vehicle'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle, registerVehicle } from '../support/vehicle-keys'
import { xwingKeyPair } from '../../src/crypto/xwing'
import type { VehicleCredentials } from '../../src/vehicle/vehicle'

// A device-initiated update of a simulated fleet through the backend's embedded broker, and the
// attacks each vehicle must refuse, with the cause it reports.
describe('simulated vehicles updating from the backend', () => {
  const data = tempDir('ota-fleet')
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let token: string
  const firmware = randomBytes(200_000)
  let release: { id: string }

  const publish = async (version: string, ecu = 'ECU_001') => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: firmware })).json
    const rel = (
      await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu, version, hardware: [hardwareFor('model_a', Number(ecu.slice(4)))], artifactSha256: sha256 } })
    ).json
    expect((await api.post(`/api/v1/releases/${rel.id}/publish`, { token })).status).toBe(200)
    return rel as { id: string }
  }

  /** One vehicle outside the fleet, registered by hand, with options a test can bend. */
  const loneVehicle = async (
    seed: number,
    overrides: Partial<VehicleOptions> | ((credentials: VehicleCredentials) => Partial<VehicleOptions>) = {},
    prepare?: (spec: VehicleSpec) => void
  ) => {
    const spec = vehicleSpec(seeded(seed), seed, ['model_a'], 2)
    prepare?.(spec)
    const { credentials } = await registerVehicle(api, token, { vin: spec.vin, model: spec.model, region: spec.region })
    const client = backendClient(backend.url, backend.caCertPem)
    const vehicle = createVehicle({
      spec,
      credentials,
      backend: client,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      trustedRoot: SignedRoot.parse(await client.api().tuf.metadata({ file: '1.root.json' })),
      random: seeded(seed),
      failureRate: 0,
      ...(typeof overrides === 'function' ? overrides(credentials) : overrides)
    })
    await vehicle.connect()
    return vehicle
  }

  /** A backend whose check-update answers are rewritten on the way, as by an attacker in the path or a compromised server. */
  const rewritingOffers = (rewrite: (offers: OfferedUpdate[]) => Promise<OfferedUpdate[]> | OfferedUpdate[]): Partial<VehicleOptions> => {
    const real = backendClient(backend.url, backend.caCertPem)
    return {
      backend: {
        ...real,
        device: (identity) => {
          const own = real.device(identity)
          const checkUpdate: typeof own.api.device.checkUpdate = async (...args) => {
            const answer = await own.api.device.checkUpdate(...args)
            return answer.status === 'up-to-date' ? answer : { ...answer, updates: await rewrite(answer.updates) }
          }
          return { ...own, api: { ...own.api, device: { ...own.api.device, checkUpdate } } }
        }
      }
    }
  }

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    api = apiClient(backend.url, backend.caCertPem)
    token = backend.firstAdminToken!
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('updates every online vehicle of the model, reports each step, and keeps the registry in step', async () => {
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 12,
      models: ['model_a', 'model_b'],
      ecus: 3,
      failureRate: 0,
      offlineRate: 0,
      seed: 42,
      pq: true,
      pollMs: 0,
      log: () => {}
    })
    try {
      release = await publish('1.1.0')
      await Promise.all(fleet.vehicles.map((v) => v.checkForUpdates()))
      const modelA = fleet.vehicles.filter((v) => v.spec.model === 'model_a')
      expect(modelA).toHaveLength(6)
      for (const v of modelA) expect(v.versions()).toEqual({ ECU_001: '1.1.0', ECU_002: '1.0.0', ECU_003: '1.0.0' })
      for (const v of fleet.vehicles.filter((x) => x.spec.model === 'model_b')) expect(v.versions().ECU_001).toBe('1.0.0')

      await backend.fleetLink.settled()
      await expect.poll(async () => (await api.get(`/api/v1/vehicles?ecu=ECU_001&version=1.1.0&limit=100`, { token })).json.vehicles.length).toBe(6)
      const detail = (await api.get(`/api/v1/vehicles/${modelA[0]!.spec.vin}`, { token })).json
      expect(detail.online).toBe(true)
      expect(detail.versionHistory).toContainEqual(expect.objectContaining({ ecu: 'ECU_001', from: '1.0.0', to: '1.1.0' }))
      expect(detail.updateHistory.map((u: { step: string; percent: number }) => `${u.step} ${u.percent}`).reverse()).toEqual([
        'downloading 0',
        'downloading 35',
        'verifying 50',
        'decompressing 70',
        'installing 90',
        'rebooting 95',
        'done 100'
      ])
      const downloads = await backend.services.db.get<{ n: number }>('SELECT COUNT(DISTINCT vin) AS n FROM downloads WHERE release_id = ?', [release.id])
      expect(Number(downloads!.n)).toBe(6)
    } finally {
      await fleet.stop()
    }
    await expect.poll(async () => (await api.get('/api/v1/vehicles?online=true', { token })).json.vehicles.length).toBe(0)
  })

  it('lets a console read rollups but no vehicle topic, and a vehicle only its own topics', async () => {
    const viewer = (await api.post('/api/v1/tokens', { token, json: { name: 'console', role: 'viewer' } })).json.token
    const consoleClient = await mqtt.connectAsync(backend.mqttUrl, { username: 'console', password: viewer, ca: backend.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
    const rollup = new Promise<{ total: number }>((resolve) => consoleClient.once('message', (_t, p) => resolve(JSON.parse(p.toString()))))
    await consoleClient.subscribeAsync(topicFor('fleetRollup'), { qos: 1 })
    expect((await rollup).total).toBeGreaterThanOrEqual(12)
    await expect(consoleClient.subscribeAsync('ota/v1/vehicles/+/config', { qos: 1 })).rejects.toThrow(/Subscribe error/)
    await consoleClient.endAsync()

    const me = await loneVehicle(901)
    const otherVin = vehicleSpec(seeded(902), 902, ['model_a'], 1).vin
    const { identity: otherIdentity, credentials: otherCredentials } = await enrolledVehicle(api, token, { vin: otherVin, model: 'model_a', region: 'eu' })
    const asOther = { cert: otherIdentity.certPem, key: otherIdentity.keyPem, ca: backend.caCertPem, protocolVersion: 4 as const, reconnectPeriod: 0 }
    // Another vehicle's certificate does not log in as me, and an enrolment credential logs nobody in.
    const impostor = await mqtt.connectAsync(backend.mqttUrl, { ...asOther, username: me.spec.vin }).catch((e: Error) => e)
    expect(String(impostor)).toMatch(/Not authorized/)
    const byCredential = await mqtt
      .connectAsync(backend.mqttUrl, { username: otherVin, password: otherCredentials.credential, ca: backend.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
      .catch((e: Error) => e)
    expect(String(byCredential)).toMatch(/Bad username or password/)

    const other = await mqtt.connectAsync(backend.mqttUrl, { ...asOther, username: otherVin })
    await expect(other.subscribeAsync(topicFor('updateNotify', me.spec.vin), { qos: 1 })).rejects.toThrow(/Subscribe error/)
    await other.subscribeAsync(topicFor('updateNotify', otherVin), { qos: 1 })
    const forged = { ...me.spec.config, zonalGateways: me.spec.config.zonalGateways.map((z) => ({ ...z, ecus: z.ecus.map((e) => ({ ...e, software: '9.9.9' })) })) }
    // The broker answers a publish to another vehicle's topic by closing the connection, before
    // anything reaches the backend; then whatever the backend was handling has settled.
    const refused = new Promise<void>((resolve) => other.once('close', () => resolve()))
    other.publish(topicFor('config', me.spec.vin), JSON.stringify({ ...forged, at: new Date().toISOString() }), { qos: 1 })
    await refused
    await backend.fleetLink.settled()
    expect((await api.get(`/api/v1/vehicles/${me.spec.vin}`, { token })).json.ecus.map((e: { software: string }) => e.software)).toEqual(['1.0.0', '1.0.0'])
    other.end(true)
    await me.disconnect()
  })

  it('refuses an altered artifact, altered metadata, expired metadata and a rollback, each with its cause', async () => {
    const target = await publish('1.2.0', 'ECU_002')
    const blob = join(data.dir, 'blobs', (await backend.services.catalog.publishedBlob(target.id, 'model_a')).name)
    const original = readFileSync(blob)

    const altered = Buffer.from(original)
    altered[altered.length >> 1]! ^= 0x01
    writeFileSync(blob, altered)
    const victim1 = await loneVehicle(911)
    await victim1.checkForUpdates()
    expect(victim1.outcomes.find((o) => o.ecu === 'ECU_002')).toEqual({ ecu: 'ECU_002', version: '1.2.0', ok: false, cause: 'hash-mismatch' })
    writeFileSync(blob, original)

    const row = (await backend.services.db.get<{ version: number; json: string }>("SELECT version, json FROM tuf_metadata WHERE role = 'targets' ORDER BY version DESC LIMIT 1"))!
    await backend.services.db.run("UPDATE tuf_metadata SET json = ? WHERE role = 'targets' AND version = ?", [row.json.replace('"1.2.0"', '"1.2.1"'), row.version])
    const victim2 = await loneVehicle(912)
    await victim2.checkForUpdates()
    expect(victim2.outcomes.find((o) => o.ecu === 'ECU_002')?.cause).toBe('signature-invalid')
    await backend.services.db.run("UPDATE tuf_metadata SET json = ? WHERE role = 'targets' AND version = ?", [row.json, row.version])

    const victim3 = await loneVehicle(913, { now: () => Date.now() + 3 * 86_400_000 })
    await victim3.checkForUpdates()
    expect(victim3.outcomes.find((o) => o.ecu === 'ECU_002')?.cause).toBe('metadata-expired')

    // A compromised server offers a signed but older release to a vehicle already past it.
    const rollbackClient = backendClient(backend.url, backend.caCertPem)
    const victim4Vin = vehicleSpec(seeded(914), 914, ['model_a'], 2).vin
    const offerOld = async (): Promise<OfferedUpdate> => backend.services.dataKeys.keyed(victim4Vin, (await backend.services.catalog.publishedBlob(release.id, 'model_a')).offer)
    const victim4 = await loneVehicle(
      914,
      {
        // A backend that offers the old release again, as a replayed answer would.
        backend: {
          ...rollbackClient,
          device: (identity) => {
            const own = rollbackClient.device(identity)
            return { ...own, api: { ...own.api, device: { ...own.api.device, checkUpdate: async () => ({ status: 'update-available' as const, updates: [await offerOld()] }) } } }
          }
        }
      },
      (spec) => void (spec.config.zonalGateways[0]!.ecus[0]!.software = '2.0.0')
    )
    await victim4.checkForUpdates()
    expect(victim4.outcomes).toEqual([{ ecu: 'ECU_001', version: '1.1.0', ok: false, cause: 'rollback-refused' }])
    expect(victim4.versions().ECU_001).toBe('2.0.0')

    const healthy = await loneVehicle(915)
    await healthy.checkForUpdates()
    expect(healthy.versions()).toMatchObject({ ECU_001: '1.1.0', ECU_002: '1.2.0' })
    expect(createHash('sha256').update(firmware).digest('hex')).toBe((await backend.services.catalog.get(target.id)).artifactSha256)
    for (const v of [victim1, victim2, victim3, victim4, healthy]) await v.disconnect()
  })

  it("opens a download only with the data key wrapped to the vehicle's own key: a wrong key, a tampered wrapper and another vehicle's copy are refused, with the cause", async () => {
    const lines: string[] = []
    const log = (line: string) => lines.push(line)
    const failure = (v: { outcomes: { ecu: string; cause?: string }[] }) => v.outcomes.find((o) => o.ecu === 'ECU_001')

    // A gateway whose key is not the one it registered (a clone, a replaced unit).
    const wrongKey = await loneVehicle(921, (c) => ({ credentials: { ...c, kemSeed: xwingKeyPair().seed.toString('base64') }, log }))
    await wrongKey.checkForUpdates()
    expect(failure(wrongKey)).toMatchObject({ ok: false, cause: 'decryption-failed' })
    expect(lines.join('\n')).toMatch(new RegExp(`${wrongKey.spec.vin} ECU_001 1.1.0: failed \\(decryption-failed\\): the data key is wrapped for another key`))

    // The wrapper altered on the way.
    const flip = (base64: string) => {
      const raw = Buffer.from(base64, 'base64')
      raw[30]! ^= 0x01
      return raw.toString('base64')
    }
    const tampered = await loneVehicle(922, { ...rewritingOffers((offers) => offers.map((o) => ({ ...o, dataKey: { ...o.dataKey, wrapped: flip(o.dataKey.wrapped) } }))), log })
    await tampered.checkForUpdates()
    expect(failure(tampered)).toMatchObject({ ok: false, cause: 'decryption-failed' })
    expect(lines.join('\n')).toMatch(/failed \(decryption-failed\): the wrapped data key does not open for vehicle .* release .*: it was altered/)

    // A second vehicle handed the first one's offers (its wrapper and its download).
    const first = await enrolledVehicle(api, token, { vin: vehicleSpec(seeded(923), 923, ['model_a'], 2).vin, model: 'model_a', region: 'eu' })
    const firstOffers = await backendClient(backend.url, backend.caCertPem)
      .device(first.identity)
      .api.device.checkUpdate({ ecus: [{ ecu: 'ECU_001', hardware: hardwareFor('model_a', 1), version: '1.0.0' }] })
    const copier = await loneVehicle(924, { ...rewritingOffers(() => (firstOffers.status === 'update-available' ? firstOffers.updates : [])), log })
    await copier.checkForUpdates()
    expect(failure(copier)).toMatchObject({ ok: false, cause: 'decryption-failed' })
    // Refused before a byte is downloaded.
    expect((await backend.services.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM downloads WHERE vin = ?', [copier.spec.vin]))!.n).toEqual(0)

    // The same vehicles, with their own key and an untouched offer, update.
    const healthy = await loneVehicle(925)
    await healthy.checkForUpdates()
    expect(healthy.versions().ECU_001).toBe('1.1.0')
    for (const v of [wrongKey, tampered, copier, healthy]) await v.disconnect()
  })
})
