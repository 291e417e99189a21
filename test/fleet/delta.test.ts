import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'

// Delta updates against the real backend and simulated vehicles: publishing a release makes a
// signed delta from the version the fleet runs; a vehicle holding that image downloads the delta,
// rebuilds and checks the image, and installs it; one whose image is not the delta's source falls
// back to the full image and says so; the job counts both and the bytes saved.
describe('delta updates', () => {
  const data = tempDir('ota-delta')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let api: ReturnType<typeof apiClient>
  let admin: string
  const v1 = randomBytes(400_000)
  const v2 = Buffer.concat([v1.subarray(0, 100_000), randomBytes(4096), v1.subarray(100_000)])

  const publish = async (version: string, image: Buffer) => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: image })).json
    const { id } = (
      await api.post('/api/v1/releases', { token: admin, json: { model: 'model_a', ecu: 'ECU_001', version, hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
    ).json
    await api.post(`/api/v1/releases/${id}/publish`, { token: admin })
    return id as string
  }

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    admin = backend.firstAdminToken!
    api = apiClient(backend.url, backend.caCertPem)
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin,
      count: 3,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 31,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('makes a signed delta from the version vehicles run; they rebuild from it, and one whose image is not the source falls back to the full image', async () => {
    await publish('2.0.0', v1)
    await Promise.all(fleet.vehicles.map((v) => v.checkForUpdates()))
    for (const v of fleet.vehicles) expect(v.versions().ECU_001).toBe('2.0.0')
    // Version reports reach the backend over MQTT: wait until it knows every vehicle runs 2.0.0.
    await expect.poll(async () => (await api.get('/api/v1/vehicles?ecu=ECU_001&version=2.0.0&limit=10', { token: admin })).json.vehicles.length, { timeout: 10_000 }).toBe(3)

    const releaseId = await publish('2.1.0', v2)
    const root = await api.get('/tuf/timestamp.json')
    expect(root.status).toBe(200)
    const snapshot = JSON.parse((await api.get(`/tuf/${JSON.parse(root.body.toString()).signed.meta['snapshot.json'].version}.snapshot.json`)).body.toString())
    const targets = JSON.parse((await api.get(`/tuf/${snapshot.signed.meta['targets.json'].version}.targets.json`)).body.toString())
    const target = targets.signed.targets['model_a/ECU_001/2.1.0.bin']
    expect(target.custom.deltas).toEqual([expect.objectContaining({ from: '2.0.0' })])
    const delta = target.custom.deltas[0]
    expect(delta.length).toBeLessThan(target.length / 10)

    // A workshop flashed one vehicle's ECU since: its image is not the delta's source any more.
    const odd = fleet.vehicles[0]!
    expect(odd.alterHeldImage('ECU_001')).toBe(true)
    const job = (
      await api.post('/api/v1/jobs', { token: admin, json: { name: 'delta 2.1.0', releaseId, selection: {}, rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 10 } } })
    ).json
    await expect.poll(async () => (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.state, { timeout: 30_000, interval: 200 }).toBe('completed')
    const done = (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json
    expect(done.counts).toEqual({ succeeded: 3 })
    expect(done.delivery).toEqual({ delta: 2, full: 0, fallback: 1, bytesSaved: 2 * (target.length - delta.length) })
    for (const v of fleet.vehicles) expect(v.versions().ECU_001).toBe('2.1.0')
    const history = (await api.get(`/api/v1/vehicles/${odd.spec.vin}`, { token: admin })).json.updateHistory
    expect(history.map((h: { step: string }) => h.step)).toContain('downloading')
    // The vehicles' evidence says how each got the image.
    const evidence = (vin: string) => api.get(`/api/v1/vehicles/${vin}/evidence`, { token: admin }).then((r) => r.json.signed.records.at(-1).delivery)
    expect(await evidence(odd.spec.vin)).toBe('delta-fallback')
    expect(await evidence(fleet.vehicles[1]!.spec.vin)).toBe('delta')
    const downloads = (await api.get('/api/v1/audit?action=artifact.download&limit=50', { token: admin })).json.entries
    expect(downloads.filter((e: { detail: string }) => e.detail.startsWith('delta from 2.0.0')).length).toBe(2)
  }, 60_000)
})
