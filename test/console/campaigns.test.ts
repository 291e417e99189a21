import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventName } from '../../src/shared/contract'
import type { JobRollup } from '../../src/shared/protocol/messages'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

const VEHICLES = 12

// The console's side of a campaign, against a real backend and simulated fleet: signed in with a
// profile, it reads who the user is, follows rollups over its own MQTT session, creates a job
// from a template policy, drills into executions, and shows the last known state when the
// backend goes away.
describe('campaigns from the console', () => {
  const data = tempDir('ota-console-campaigns')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let releaseId: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    const token = backend.firstAdminToken!
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
      seed: 9,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    const api = apiClient(backend.url, backend.caCertPem)
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(20_000) })).json
    releaseId = (
      await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.2.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
    ).json.id
    await api.post(`/api/v1/releases/${releaseId}/publish`, { token })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close().catch(() => {})
    data.remove()
  })

  it('signs in, follows a job from a policy live, batched, and falls back to the cache when the backend is gone', async () => {
    const client = await ipcClient()
    const events: { event: EventName; payload: unknown; at: number }[] = []
    const stop = client.core.subscribe((event, payload) => events.push({ event, payload, at: performance.now() }))
    try {
      const { api } = client
      expect(await api.jobs.list()).toMatchObject({ ok: false, error: { code: 'NO_CONNECTION' } })

      await signIn(client, backend, backend.firstAdminToken!, 'Plant A')
      await expect
        .poll(async () => value(await api.session.status()), { timeout: 15_000 })
        .toMatchObject({ backend: 'ok', identity: { role: 'admin' }, live: 'connected', profileName: 'Plant A' })

      const policy = value(
        await api.policies.create({
          name: 'ECU_001 in two waves',
          spec: {
            releaseId,
            selection: { models: ['model_a'] },
            rollout: { waves: [{ size: { count: 4 }, canary: true }, { size: { percent: 100 } }], maxInFlight: 6 },
            thresholds: { advanceAtSuccessPercent: 100, failure: { percent: 50, minFinished: 4, action: 'pause' }, executionTimeoutMinutes: 5 },
            actionType: 'forced'
          }
        })
      )
      expect(value(await api.policies.preview({ id: policy.id }))).toEqual({ selected: VEHICLES, waves: [4, 8] })
      const job = value(await api.policies.createJob({ id: policy.id, name: 'ECU_001 1.2.0' }))
      expect(job).toMatchObject({ state: 'running', counts: { queued: VEHICLES } })
      // Adding vehicles names those it leaves out, and why.
      const added = value(await api.jobs.addVehicles({ id: job.id, vins: [fleet.vehicles[0]!.spec.vin, 'SMV00000000000099'] }))
      expect(added.added).toEqual([])
      expect(added.skipped).toEqual([
        { vin: fleet.vehicles[0]!.spec.vin, reason: 'already in the job' },
        { vin: 'SMV00000000000099', reason: expect.stringContaining('not eligible') }
      ])
      expect(await api.jobs.addVehicles({ id: job.id, vins: [] })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT', message: expect.stringContaining('give at least one VIN') }
      })

      await expect.poll(async () => value(await api.jobs.get({ id: job.id })).state, { timeout: 40_000, interval: 250 }).toBe('completed')
      const done = value(await api.jobs.get({ id: job.id }))
      expect(done.counts).toEqual({ succeeded: VEHICLES })

      // Rollups reached the renderer's channel in batches, no more than ten a second, and the
      // last one agrees with the job.
      await expect.poll(() => lastRollup(events, job.id)?.state, { timeout: 5000 }).toBe('completed')
      expect(lastRollup(events, job.id)!.counts).toEqual(done.counts)
      const batches = events.filter((e) => e.event === 'jobs.rollups').map((e) => e.at)
      expect(batches.length).toBeGreaterThan(1)
      for (let i = 1; i < batches.length; i++) expect(batches[i]! - batches[i - 1]!).toBeGreaterThanOrEqual(95)

      const page = value(await api.jobs.executions({ id: job.id, state: 'succeeded', limit: 5 }))
      expect(page.executions).toHaveLength(5)
      expect(page.nextCursor).toBe(page.executions[4]!.vin)
      const rest = value(await api.jobs.executions({ id: job.id, state: 'succeeded', cursor: page.nextCursor!, limit: 100 }))
      expect(rest.executions).toHaveLength(VEHICLES - 5)
      const steps = value(await api.jobs.steps({ id: job.id, vin: page.executions[0]!.vin }))
      expect(steps.steps.map((s) => s.step)).toEqual(expect.arrayContaining(['downloading', 'installing', 'done']))

      const listed = value(await api.jobs.list())
      expect(listed).toMatchObject({ stale: false })
      expect(listed.jobs.find((j) => j.id === job.id)?.state).toBe('completed')

      // The backend goes away: the list still answers, from SQLite, marked stale; the session says why.
      await fleet.stop()
      await backend.close()
      const offline = value(await api.jobs.list())
      expect(offline.stale).toBe(true)
      expect(offline.fetchedAt).toBe(listed.fetchedAt)
      expect(offline.jobs.find((j) => j.id === job.id)).toMatchObject({ state: 'completed', counts: { succeeded: VEHICLES } })
      await expect.poll(async () => value(await api.session.status()).backend, { timeout: 10_000 }).toBe('unreachable')
      expect(value(await api.session.status()).live).toBe('reconnecting')
      expect(await api.jobs.get({ id: job.id })).toMatchObject({ ok: false, error: { code: 'BACKEND_UNREACHABLE', message: expect.stringContaining('could not be reached') } })
    } finally {
      stop()
      await client.close()
    }
  }, 90_000)
})

function lastRollup(events: { event: EventName; payload: unknown }[], jobId: string): JobRollup | undefined {
  const all = events.filter((e) => e.event === 'jobs.rollups').flatMap((e) => (e.payload as { rollups: JobRollup[] }).rollups)
  return all.filter((r) => r.jobId === jobId).at(-1)
}
