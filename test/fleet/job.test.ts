import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { topicFor } from '../../src/shared/protocol/topics'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { freePort } from '../support/free-port'
import { tempDir } from '../support/temp-dir'

const VEHICLES = 40

// A staged job through the backend's engine and the embedded broker: the failure threshold
// pauses it in wave 2, a resume completes it, and the counts match the executions.
describe('a staged update job', () => {
  const data = tempDir('ota-job')
  let backend: RunningBackend

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('pauses on failures in wave 2 with the reason in words, and completes after resume', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 5,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    try {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(50_000) })).json
      const rel = (
        await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
      ).json
      await api.post(`/api/v1/releases/${rel.id}/publish`, { token })
      const spec = {
        name: 'ECU_001 to 1.1.0',
        releaseId: rel.id,
        selection: {},
        rollout: { waves: [{ size: { count: 5 }, canary: true }, { size: { count: 15 } }, { size: { percent: 100 } }], maxInFlight: 8 },
        thresholds: { advanceAtSuccessPercent: 100, failure: { percent: 20, minFinished: 5, action: 'pause' }, executionTimeoutMinutes: 5 },
        actionType: 'forced'
      }
      expect((await api.post('/api/v1/jobs/dry-run', { token, json: spec })).json).toEqual({ selected: VEHICLES, waves: [5, 15, 20] })

      // A console watches the job's rollups, as the console's MQTT session will.
      const viewer = (await api.post('/api/v1/tokens', { token, json: { name: 'watcher', role: 'viewer' } })).json.token
      const consoleClient = await mqtt.connectAsync(backend.mqttUrl, { username: 'watcher', password: viewer, ca: backend.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
      const rollups: { jobId: string; state: string; counts: Record<string, number>; at: string }[] = []
      consoleClient.on('message', (_t, p) => rollups.push(JSON.parse(p.toString())))
      await consoleClient.subscribeAsync(topicFor('jobRollup'), { qos: 1 })

      // Wave 2's vehicles will fail half the time.
      const created = await api.post('/api/v1/jobs', { token, json: spec })
      expect(created.status).toBe(201)
      const jobId: string = created.json.id
      const wave2 = new Set((await backend.services.db.all<{ vin: string }>('SELECT vin FROM executions WHERE job_id = ? AND wave = 1', [jobId])).map((r) => r.vin))
      for (const v of fleet.vehicles) if (wave2.has(v.spec.vin)) v.setFailureRate(0.6)

      const job = async () => (await api.get(`/api/v1/jobs/${jobId}`, { token })).json
      await expect.poll(async () => (await job()).state, { timeout: 30_000, interval: 200 }).toBe('paused')
      const paused = await job()
      expect(paused.currentWave).toBe(1)
      expect(paused.reason).toMatch(/^wave 2: \d+ of \d+ finished executions failed \(\d+(\.\d)?%, threshold 20%\)$/)
      expect(paused.waves[0].counts).toEqual({ succeeded: 5 })
      expect(paused.waves[2].counts).toEqual({ queued: 20 })
      expect(Object.keys(paused.failureCauses).length).toBeGreaterThan(0)

      for (const v of fleet.vehicles) v.setFailureRate(0)
      expect((await api.post(`/api/v1/jobs/${jobId}/resume`, { token })).json.state).toBe('running')
      await expect.poll(async () => (await job()).state, { timeout: 60_000, interval: 200 }).toBe('completed')

      const done = await job()
      const failed = (done.counts.failed ?? 0) + (done.counts.timed_out ?? 0)
      expect(done.counts.succeeded + failed).toBe(VEHICLES)
      const truth = await backend.services.db.all<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM executions WHERE job_id = ? GROUP BY state', [jobId])
      expect(Object.fromEntries(truth.map((r) => [r.state, Number(r.n)]))).toEqual(done.counts)
      const updated = fleet.vehicles.filter((v) => v.versions().ECU_001 === '1.1.0').length
      expect(updated).toBe(done.counts.succeeded)

      await expect.poll(() => rollups.at(-1)?.state, { timeout: 5_000 }).toBe('completed')
      expect(rollups.at(-1)!.counts).toEqual(done.counts)
      // At most twice a second for one job.
      const times = rollups.filter((r) => r.jobId === jobId).map((r) => Date.parse(r.at))
      for (let i = 2; i < times.length; i++) expect(times[i]! - times[i - 2]!).toBeGreaterThanOrEqual(900)
      await consoleClient.endAsync()
    } finally {
      await fleet.stop()
    }
  }, 120_000)

  it('cancels a job halfway: nothing more starts, running installs stop or finish', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 30,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 6,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    try {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(50_000) })).json
      const rel = (
        await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_002', version: '1.3.0', hardware: [hardwareFor('model_a', 2)], artifactSha256: sha256 } })
      ).json
      await api.post(`/api/v1/releases/${rel.id}/publish`, { token })
      const created = await api.post('/api/v1/jobs', {
        token,
        json: {
          name: 'to cancel',
          releaseId: rel.id,
          selection: { vins: fleet.vehicles.map((v) => v.spec.vin) },
          rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 3, rate: { perMinute: 240, factor: 1.1, everySuccesses: 1000 } },
          actionType: 'soft'
        }
      })
      const jobId: string = created.json.id
      const job = async () => (await api.get(`/api/v1/jobs/${jobId}`, { token })).json
      await expect.poll(async () => (await job()).counts.succeeded ?? 0, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(5)
      const canceled = await api.post(`/api/v1/jobs/${jobId}/cancel`, { token })
      expect(canceled.json).toMatchObject({ state: 'canceled', reason: 'canceled by admin' })
      expect(canceled.json.counts.queued ?? 0).toBe(0)
      const inFlight = async () => {
        const counts: Record<string, number> = (await job()).counts
        return ['notified', 'accepted', 'downloading', 'verifying', 'installing', 'rebooting'].reduce((n, state) => n + (counts[state] ?? 0), 0)
      }
      await expect.poll(inFlight, { timeout: 20_000 }).toBe(0)
      const end = await job()
      expect(end.counts.succeeded).toBeLessThan(30)
      expect(end.counts.canceled).toBeGreaterThan(0)
      expect(fleet.vehicles.filter((v) => v.versions().ECU_002 === '1.3.0').length).toBe(end.counts.succeeded)
    } finally {
      await fleet.stop()
    }
  }, 120_000)

  it('survives a backend restart mid-job without losing or duplicating an execution', async () => {
    const dir = tempDir('ota-job-restart')
    const mqttPort = await freePort()
    const first = await startBackend({ dataDir: dir.dir, mqttPort, engineTickMs: 100, log: () => {} })
    const api = apiClient(first.url, first.caCertPem)
    const token = first.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: first.url,
      mqttUrl: first.mqttUrl,
      ca: first.caCertPem,
      token,
      count: 30,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 7,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    let second: RunningBackend | undefined
    try {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(20_000) })).json
      const rel = (
        await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
      ).json
      await api.post(`/api/v1/releases/${rel.id}/publish`, { token })
      const jobId: string = (
        await api.post('/api/v1/jobs', {
          token,
          json: {
            name: 'restart',
            releaseId: rel.id,
            selection: {},
            rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 4, rate: { perMinute: 300, factor: 1.1, everySuccesses: 1000 } }
          }
        })
      ).json.id
      await expect.poll(async () => (await api.get(`/api/v1/jobs/${jobId}`, { token })).json.counts.succeeded ?? 0, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(5)

      await first.close()
      second = await startBackend({ dataDir: dir.dir, port: first.port, mqttPort, engineTickMs: 100, renotifyAfterMs: 2_000, log: () => {} })
      const job = async () => (await apiClient(second!.url, second!.caCertPem).get(`/api/v1/jobs/${jobId}`, { token })).json
      await expect.poll(async () => (await job()).state, { timeout: 60_000, interval: 200 }).toBe('completed')
      const done = await job()
      expect(done.counts).toEqual({ succeeded: 30 })
      const rows = await second.services.db.all<{ n: number }>('SELECT COUNT(*) AS n FROM executions WHERE job_id = ?', [jobId])
      expect(Number(rows[0]!.n)).toBe(30)
      expect(fleet.vehicles.every((v) => v.versions().ECU_001 === '1.1.0')).toBe(true)
    } finally {
      await fleet.stop()
      await second?.close()
      dir.remove()
    }
  }, 120_000)
})
