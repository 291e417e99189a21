import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'

const VEHICLES = 12

// Action types as vehicles live them: a soft update the drivers postpone once and accept when
// reminded; a download-only job whose vehicles install only when told, from what they hold.
describe('job action types', () => {
  const data = tempDir('ota-job-actions')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let api: ReturnType<typeof apiClient>
  let token: string

  const release = async (ecu: number, version: string) => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(30_000) })).json
    const rel = (
      await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: `ECU_00${ecu}`, version, hardware: [hardwareFor('model_a', ecu)], artifactSha256: sha256 } })
    ).json
    await api.post(`/api/v1/releases/${rel.id}/publish`, { token })
    return rel.id as string
  }
  const jobSpec = (name: string, releaseId: string, actionType: string) => ({
    name,
    releaseId,
    selection: {},
    rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 20 },
    thresholds: { advanceAtSuccessPercent: 100, failure: { percent: 50, minFinished: 5, action: 'pause' }, executionTimeoutMinutes: 5 },
    actionType
  })
  const until = async (jobId: string, state: string) => {
    await expect.poll(async () => (await api.get(`/api/v1/jobs/${jobId}`, { token })).json.state, { timeout: 30_000, interval: 200 }).toBe(state)
    return (await api.get(`/api/v1/jobs/${jobId}`, { token })).json
  }

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, renotifyAfterMs: 300, log: () => {} })
    token = backend.firstAdminToken!
    api = apiClient(backend.url, backend.caCertPem)
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 3,
      pq: false,
      pollMs: 0,
      deferral: { rate: 1, forMs: 500 },
      log: () => {}
    })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('soft: each driver defers once, is asked again after the deferral, and the job completes', async () => {
    const releaseId = await release(1, '1.5.0')
    const job = (await api.post('/api/v1/jobs', { token, json: jobSpec('soft with deferrals', releaseId, 'soft') })).json
    const done = await until(job.id, 'completed')
    expect(done.counts).toEqual({ succeeded: VEHICLES })
    for (const v of fleet.vehicles) expect(v.versions().ECU_001).toBe('1.5.0')
    const history = (await api.get(`/api/v1/vehicles/${fleet.vehicles[0]!.spec.vin}`, { token })).json.updateHistory.filter((h: { releaseId: string }) => h.releaseId === releaseId)
    const steps = [...history].sort((a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at)).map((h: { step: string }) => h.step)
    expect(steps.filter((s: string) => s === 'deferred')).toHaveLength(1)
    expect(steps.indexOf('deferred')).toBeLessThan(steps.indexOf('accepted'))
  })

  it('download-only: vehicles stage the release; the install command installs it without a second download', async () => {
    const releaseId = await release(2, '1.6.0')
    const job = (await api.post('/api/v1/jobs', { token, json: jobSpec('stage ECU_002', releaseId, 'download-only') })).json
    await until(job.id, 'completed')
    for (const v of fleet.vehicles) expect(v.versions().ECU_002).not.toBe('1.6.0')
    const downloadsBefore = await backend.services.db.get<{ n: number }>('SELECT COUNT(DISTINCT vin) AS n FROM downloads WHERE release_id = ?', [releaseId])
    expect(Number(downloadsBefore!.n)).toBe(VEHICLES)
    const rangesBefore = await backend.services.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM downloads WHERE release_id = ?', [releaseId])

    const forced = await api.post(`/api/v1/jobs/${job.id}/install`, { token, json: {} })
    expect(forced.status).toBe(201)
    expect(forced.json).toMatchObject({ name: 'stage ECU_002 — install', spec: { actionType: 'forced' }, counts: { queued: VEHICLES } })
    await until(forced.json.id, 'completed')
    for (const v of fleet.vehicles) expect(v.versions().ECU_002).toBe('1.6.0')
    const rangesAfter = await backend.services.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM downloads WHERE release_id = ?', [releaseId])
    expect(Number(rangesAfter!.n)).toBe(Number(rangesBefore!.n))

    expect((await api.post(`/api/v1/jobs/${forced.json.id}/install`, { token, json: {} })).json.error.message).toMatch(
      /is forced: only a download-only job's vehicles wait for an install command/
    )
  })

  it('end time: vehicles not reached by then are canceled, the rest finish, and the job completes saying so', async () => {
    const releaseId = await release(1, '1.7.0')
    const spec = {
      ...jobSpec('until the end time', releaseId, 'forced'),
      rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 1 },
      schedule: { endAt: new Date(Date.now() + 700).toISOString() }
    }
    const job = (await api.post('/api/v1/jobs', { token, json: spec })).json
    const done = await until(job.id, 'completed')
    const canceled = done.counts.canceled ?? 0
    expect(canceled).toBeGreaterThan(0)
    expect(done.counts.succeeded + canceled).toBe(VEHICLES)
    expect(done.reason).toBe(`its end time (${spec.schedule.endAt}) passed: ${canceled} vehicle${canceled === 1 ? ' was' : 's were'} not reached and canceled`)
  })
})
