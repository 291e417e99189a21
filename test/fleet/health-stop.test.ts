import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { HEALTH_FAULTS, type HealthFault } from '../../src/vehicle/vehicle'
import { verifyEd25519 } from '../../src/backend/tuf/keys'
import { canonicalJson } from '../../src/shared/tuf/canonical-json'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'

const PER_FLEET = 4
const CAUSE: Record<HealthFault, string> = { 'self-test': 'self-test-failed', rollback: 'rolled-back', dtc: 'new-dtc', offline: 'offline-after-install' }

// The health stop against the real backend and simulated vehicles: installs that go well and
// then turn bad within the job's health window (a failed self-test, a rollback, a new DTC, a
// vehicle that drops off and stays away) fail their executions with that cause, and the failure
// threshold pauses the job, as it would for failed installs. Healthy vehicles succeed only once
// their window has passed.
describe('health stop after install', () => {
  const data = tempDir('ota-health')
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let admin: string
  let releaseId: string
  const fleets: Awaited<ReturnType<typeof startFleet>>[] = []
  const vinsOf: Partial<Record<HealthFault | 'healthy', string[]>> = {}

  const fleet = async (seed: number, healthFault?: { kind: HealthFault; rate: number; afterMs: number }) => {
    const f = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin,
      count: PER_FLEET,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed,
      pq: false,
      pollMs: 0,
      healthFault,
      log: () => {}
    })
    fleets.push(f)
    return f.vehicles.map((v) => v.spec.vin)
  }
  const job = async (name: string, vins: string[]) =>
    (
      await api.post('/api/v1/jobs', {
        token: admin,
        json: {
          name,
          releaseId,
          selection: { vins },
          rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 10 },
          thresholds: { advanceAtSuccessPercent: 100, failure: { percent: 50, minFinished: 2, action: 'pause' }, executionTimeoutMinutes: 5, healthWindowMinutes: 0.05 }
        }
      })
    ).json
  const view = async (id: string) => (await api.get(`/api/v1/jobs/${id}`, { token: admin })).json

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    admin = backend.firstAdminToken!
    api = apiClient(backend.url, backend.caCertPem)
    for (const [i, kind] of HEALTH_FAULTS.entries()) vinsOf[kind] = await fleet(100 + i, { kind, rate: 1, afterMs: 300 })
    vinsOf.healthy = await fleet(200)
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(20_000) })).json
    releaseId = (
      await api.post('/api/v1/releases', {
        token: admin,
        json: { model: 'model_a', ecu: 'ECU_001', version: '5.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
      })
    ).json.id
    await api.post(`/api/v1/releases/${releaseId}/publish`, { token: admin })
  }, 90_000)
  afterAll(async () => {
    for (const f of fleets) await f.stop()
    await backend?.close()
    data.remove()
  })

  it('a healthy install is monitored through its window before it counts as succeeded', async () => {
    const created = await job('healthy', vinsOf.healthy!)
    await expect.poll(async () => (await view(created.id)).counts.monitoring ?? 0, { timeout: 20_000, interval: 100 }).toBeGreaterThan(0)
    expect((await view(created.id)).state).toBe('running')
    await expect.poll(async () => (await view(created.id)).state, { timeout: 30_000, interval: 200 }).toBe('completed')
    expect((await view(created.id)).counts).toEqual({ succeeded: PER_FLEET })
  }, 60_000)

  it.each(HEALTH_FAULTS)(
    '%s after install fails the executions with its cause, and the threshold pauses the job',
    async (kind) => {
      const created = await job(`health ${kind}`, vinsOf[kind]!)
      await expect.poll(async () => (await view(created.id)).state, { timeout: 30_000, interval: 200 }).toBe('paused')
      const paused = await view(created.id)
      expect(paused.reason).toMatch(/failed/)
      expect(paused.failureCauses[CAUSE[kind]]).toBeGreaterThanOrEqual(2)
      expect(paused.counts.succeeded ?? 0).toBe(0)
      const failed = (await api.get(`/api/v1/jobs/${created.id}/executions?state=failed`, { token: admin })).json.executions
      expect(failed.every((e: { cause: string }) => e.cause === CAUSE[kind])).toBe(true)
      if (kind === 'rollback') {
        // The rolled-back ECU reports its old version again.
        const vehicle = (await api.get(`/api/v1/vehicles/${failed[0].vin}`, { token: admin })).json
        expect(vehicle.ecus.find((e: { id: string }) => e.id === 'ECU_001').softwareVersion).not.toBe('5.0.0')
      }
    },
    60_000
  )

  it("exports each vehicle's update record as one signed document: outcome, health verdict, rollback, delivery", async () => {
    const key = (await api.get('/api/v1/evidence-key')).json
    const verified = (doc: { signed: unknown; signatures: { sig: string }[] }) => verifyEd25519(key.key, Buffer.from(canonicalJson(doc.signed)), doc.signatures[0]!.sig)

    const rolledBack = (await api.get(`/api/v1/vehicles/${vinsOf.rollback![0]}/evidence`, { token: admin })).json
    expect(verified(rolledBack)).toBe(true)
    expect(rolledBack.signatures[0].keyid).toBe(key.keyid)
    expect(rolledBack.signed).toMatchObject({ _type: 'ota-update-evidence', vin: vinsOf.rollback![0], model: 'model_a', generatedBy: 'admin' })
    expect(rolledBack.signed.records).toEqual([
      expect.objectContaining({
        jobName: 'health rollback',
        release: expect.objectContaining({ id: releaseId, version: '5.0.0' }),
        delivery: 'full',
        outcome: 'failed',
        cause: 'rolled-back',
        rolledBack: true,
        health: { windowSeconds: 3, verdict: 'unhealthy' },
        approval: null
      })
    ])
    expect(rolledBack.signed.records[0].steps.map((s: { step: string }) => s.step)).toEqual(expect.arrayContaining(['downloading', 'installing', 'done', 'failed']))

    const healthy = (await api.get(`/api/v1/vehicles/${vinsOf.healthy![0]}/evidence`, { token: admin })).json
    expect(healthy.signed.records[0]).toMatchObject({ outcome: 'succeeded', rolledBack: false, health: { verdict: 'healthy' } })
    // One changed byte and the signature no longer holds.
    healthy.signed.records[0].outcome = 'failed'
    expect(verified(healthy)).toBe(false)
    expect((await api.get('/api/v1/vehicles/WVWZZZ1JZXW000000/evidence', { token: admin })).status).toBe(404)
  })
})
