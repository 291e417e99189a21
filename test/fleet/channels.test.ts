import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'

// Release channels against the real backend and simulated vehicles: a release that starts on
// beta reaches only vehicles put on beta, by check-update, by a standing policy and by a job;
// a vehicle on no channel never sees it; "promote to stable" offers it to every vehicle.
describe('release channels', () => {
  const data = tempDir('ota-channels')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let api: ReturnType<typeof apiClient>
  let admin: string
  let beta: string[]
  let stable: string[]
  let releaseId: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    admin = backend.firstAdminToken!
    api = apiClient(backend.url, backend.caCertPem)
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin,
      count: 6,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 21,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    const vins = fleet.vehicles.map((v) => v.spec.vin)
    beta = vins.slice(0, 2)
    stable = vins.slice(2)
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  const versionOf = (vin: string, ecu: string) => fleet.vehicles.find((v) => v.spec.vin === vin)!.versions()[ecu]
  const checkAll = () => Promise.all(fleet.vehicles.map((v) => v.checkForUpdates()))

  it('puts vehicles on beta; a beta release reaches only them by check-update, and a vehicle on no channel is never offered it', async () => {
    for (const vin of beta) {
      expect(await api.put(`/api/v1/vehicles/${vin}/channel`, { token: admin, json: { channel: 'beta' } })).toMatchObject({ status: 200, json: { vin, channel: 'beta' } })
    }
    expect(await api.put(`/api/v1/vehicles/${beta[0]}/channel`, { token: admin, json: { channel: 'Beta!' } })).toMatchObject({ status: 400 })
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(20_000) })).json
    const created = await api.post('/api/v1/releases', {
      token: admin,
      json: { model: 'model_a', ecu: 'ECU_001', version: '3.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256, channels: ['beta'] }
    })
    expect(created.json).toMatchObject({ channels: ['beta'] })
    releaseId = created.json.id
    await api.post(`/api/v1/releases/${releaseId}/publish`, { token: admin })

    await checkAll()
    for (const vin of beta) expect(versionOf(vin, 'ECU_001'), vin).toBe('3.0.0')
    for (const vin of stable) expect(versionOf(vin, 'ECU_001'), vin).not.toBe('3.0.0')
  })

  it('a job for a beta release selects only the beta vehicles', async () => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(20_000) })).json
    const second = (
      await api.post('/api/v1/releases', {
        token: admin,
        json: { model: 'model_a', ecu: 'ECU_002', version: '3.1.0', hardware: [hardwareFor('model_a', 2)], artifactSha256: sha256, channels: ['beta'] }
      })
    ).json
    await api.post(`/api/v1/releases/${second.id}/publish`, { token: admin })
    const dryRun = await api.post('/api/v1/jobs/dry-run', {
      token: admin,
      json: { name: 'beta ECU_002', releaseId: second.id, selection: {}, rollout: { waves: [{ size: { percent: 100 } }] } }
    })
    expect(dryRun.json.selected).toBe(beta.length)
    const stableOnly = await api.post('/api/v1/jobs', {
      token: admin,
      json: { name: 'stable only', releaseId: second.id, selection: { vins: stable }, rollout: { waves: [{ size: { percent: 100 } }] } }
    })
    expect(stableOnly).toMatchObject({ status: 400, json: { error: { message: 'the selection matches no vehicle that can take this release' } } })
  })

  it('promote to stable offers it to every vehicle; the release lists both channels', async () => {
    expect(await api.post(`/api/v1/releases/${releaseId}/channels`, { token: admin, json: { channel: 'beta' } })).toMatchObject({ status: 409 })
    const promoted = await api.post(`/api/v1/releases/${releaseId}/channels`, { token: admin, json: { channel: 'stable' } })
    expect(promoted).toMatchObject({ status: 200, json: { channels: ['beta', 'stable'] } })
    await checkAll()
    for (const vin of stable) expect(versionOf(vin, 'ECU_001'), vin).toBe('3.0.0')
    const audit = (await api.get('/api/v1/audit?action=release.promote', { token: admin })).json.entries
    expect(audit[0]).toMatchObject({ actor: 'admin', object: releaseId, detail: 'model_a ECU_001 3.0.0 now on beta, stable' })
  })
})
