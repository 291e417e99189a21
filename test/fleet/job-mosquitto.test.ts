import { randomBytes } from 'node:crypto'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningBackend } from '../../src/backend/server'
import { topicFor } from '../../src/shared/protocol/topics'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { startBackendOnMosquitto, type BackendOnMosquitto } from '../support/backend-on-mosquitto'
import type { RunningMosquitto } from '../support/mosquitto'

const VEHICLES = 500

// The campaign the issue describes, on real Mosquitto: 500 vehicles, 3 waves, 10% injected
// failures; the failure threshold pauses the job in wave 2; resume completes it; the rollups a
// console receives match the executions.
describe('a staged campaign through Mosquitto', () => {
  let env: BackendOnMosquitto
  let broker: RunningMosquitto
  let backend: RunningBackend

  beforeAll(async () => {
    env = await startBackendOnMosquitto('ota-job-mosq', { engineTickMs: 200 }, ['console'])
    ;({ broker, backend } = env)
  })
  afterAll(() => env?.close())

  it('pauses at wave 2 on failures, completes after resume, and its rollups add up', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const token = backend.firstAdminToken!
    const fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: env.vehicleUrl,
      ca: env.pki.caCertPem,
      token,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0.1,
      offlineRate: 0,
      seed: 500,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    const watcher = (await api.post('/api/v1/tokens', { token, json: { name: 'console', role: 'viewer' } })).json.token
    // The console's user must be in Mosquitto's password file (the ACL already names it).
    env.files.addUser('console', watcher)
    await env.reloadAccounts()
    const consoleClient = await mqtt.connectAsync(broker.url, { username: 'console', password: watcher, ca: env.pki.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
    const rollups: { jobId: string; state: string; counts: Record<string, number> }[] = []
    consoleClient.on('message', (_t, p) => rollups.push(JSON.parse(p.toString())))
    await consoleClient.subscribeAsync(topicFor('jobRollup'), { qos: 1 })
    try {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(30_000) })).json
      const rel = (
        await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
      ).json
      await api.post(`/api/v1/releases/${rel.id}/publish`, { token })
      const created = await api.post('/api/v1/jobs', {
        token,
        json: {
          name: '500 vehicles, 3 waves',
          releaseId: rel.id,
          selection: {},
          rollout: { waves: [{ size: { count: 20 }, canary: true }, { size: { percent: 30 } }, { size: { percent: 100 } }], maxInFlight: 60 },
          thresholds: { advanceAtSuccessPercent: 80, failure: { percent: 8, minFinished: 50, action: 'pause' }, executionTimeoutMinutes: 10 }
        }
      })
      expect(created.json.waves.map((w: { size: number }) => w.size)).toEqual([20, 150, 330])
      const jobId: string = created.json.id
      const job = async () => (await api.get(`/api/v1/jobs/${jobId}`, { token })).json

      await expect.poll(async () => (await job()).state, { timeout: 90_000, interval: 250 }).toBe('paused')
      const paused = await job()
      expect(paused.currentWave).toBe(1)
      expect(paused.reason).toMatch(/^wave 2: \d+ of \d+ finished executions failed/)
      expect(paused.waves[2].counts).toEqual({ queued: 330 })

      for (const v of fleet.vehicles) v.setFailureRate(0)
      await api.post(`/api/v1/jobs/${jobId}/resume`, { token })
      await expect.poll(async () => (await job()).state, { timeout: 120_000, interval: 250 }).toBe('completed')

      const done = await job()
      const truth = await backend.services.db.all<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM executions WHERE job_id = ? GROUP BY state', [jobId])
      expect(Object.fromEntries(truth.map((r) => [r.state, Number(r.n)]))).toEqual(done.counts)
      expect(Object.values(done.counts as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(VEHICLES)
      expect(done.failureCauses).not.toEqual({})
      await expect.poll(() => rollups.filter((r) => r.jobId === jobId).at(-1)?.state, { timeout: 5_000 }).toBe('completed')
      expect(rollups.filter((r) => r.jobId === jobId).at(-1)!.counts).toEqual(done.counts)
    } finally {
      await consoleClient.endAsync()
      await fleet.stop()
    }
  }, 300_000)
})
