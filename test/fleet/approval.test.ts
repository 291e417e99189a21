import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'

// Four-eyes approval against the real backend and simulated vehicles: a job whose template or
// model asks for approval waits, notifying no vehicle, until a second person with job.approve
// approves it; its creator may not; a rejection says why and the job never starts.
describe('four-eyes approval of jobs', () => {
  const data = tempDir('ota-approval')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let api: ReturnType<typeof apiClient>
  let admin: string
  let operator: string
  let manager: string
  let viewer: string
  let releaseId: string

  const tokenFor = async (name: string, role: string) => (await api.post('/api/v1/tokens', { token: admin, json: { name, role } })).json.token as string
  const job = async (id: string) => (await api.get(`/api/v1/jobs/${id}`, { token: admin })).json
  const template = () => ({ releaseId, selection: {}, rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 20 } })
  const spec = (name: string) => ({ name, ...template() })

  const publish = async (version: string) => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(20_000) })).json
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
    operator = await tokenFor('olga-operator', 'operator')
    manager = await tokenFor('ravi-release-manager', 'release-manager')
    viewer = await tokenFor('vera-viewer', 'viewer')
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin,
      count: 6,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 11,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    releaseId = await publish('7.0.0')
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('a template that asks for approval makes a job that waits; its creator may not approve it; another approver starts it and the vehicles update', async () => {
    const policy = (await api.post('/api/v1/policies', { token: operator, json: { name: 'Four eyes', kind: 'template', requireApproval: true, spec: template() } })).json
    expect(policy).toMatchObject({ requireApproval: true })
    const created = (await api.post(`/api/v1/policies/${policy.id}/jobs`, { token: operator, json: { name: 'ECU_001 7.0.0 to all' } })).json
    expect(created).toMatchObject({ state: 'waiting_approval', createdBy: 'olga-operator', approval: { requiredBy: 'policy Four eyes', decision: null, by: null } })

    // Waiting, it notifies no vehicle: the engine leaves it alone.
    await new Promise((r) => setTimeout(r, 800))
    expect(await job(created.id)).toMatchObject({ state: 'waiting_approval', counts: { queued: 6 } })

    expect(await api.post(`/api/v1/jobs/${created.id}/approve`, { token: viewer, json: {} })).toMatchObject({
      status: 403,
      json: { error: { message: 'Role viewer may not job.approve; it needs admin or release-manager' } }
    })
    // An admin who is also its creator is refused as the creator, not by role.
    const selfMade = (await api.post('/api/v1/jobs', { token: admin, json: spec('admin made') })).json
    expect(selfMade.state).toBe('running')
    const byOperatorAsAdmin = await tokenFor('olga-operator', 'admin')
    expect(await api.post(`/api/v1/jobs/${created.id}/approve`, { token: byOperatorAsAdmin, json: { comment: 'mine, looks fine' } })).toMatchObject({
      status: 403,
      json: { error: { message: `olga-operator created job ${created.id} and may not approve it: another person with job.approve decides` } }
    })

    const approved = await api.post(`/api/v1/jobs/${created.id}/approve`, { token: manager, json: { comment: 'checked the release notes' } })
    expect(approved).toMatchObject({
      status: 200,
      json: { state: 'scheduled', approval: { decision: 'approved', by: 'ravi-release-manager', role: 'release-manager', comment: 'checked the release notes' } }
    })
    expect(await api.post(`/api/v1/jobs/${created.id}/reject`, { token: admin, json: { comment: 'too late' } })).toMatchObject({
      status: 409,
      json: { error: { message: expect.stringMatching(/cannot reject/) } }
    })
    await expect.poll(async () => (await job(created.id)).state, { timeout: 30_000, interval: 200 }).toBe('completed')
    expect((await job(created.id)).counts.succeeded).toBe(6)
    expect((await job(created.id)).waves[0].startedAt).not.toBeNull()

    const evidence = (await api.get(`/api/v1/vehicles/${fleet.vehicles[0]!.spec.vin}/evidence`, { token: viewer })).json.signed.records
    expect(evidence.find((r: { jobId: string }) => r.jobId === created.id)).toMatchObject({
      jobCreatedBy: 'olga-operator',
      approval: { requiredBy: 'policy Four eyes', decision: 'approved', by: 'ravi-release-manager', role: 'release-manager', comment: 'checked the release notes' },
      outcome: 'succeeded'
    })
    const audit = (await api.get('/api/v1/audit?action=job.approve', { token: admin })).json.entries
    expect(audit).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'ravi-release-manager', role: 'release-manager', object: created.id, outcome: 'ok', detail: 'checked the release notes' }),
        expect.objectContaining({ actor: 'olga-operator', role: 'admin', object: created.id, outcome: 'failed' })
      ])
    )
  }, 60_000)

  it("a model that asks for approval holds every job for it; a rejection needs a reason, cancels the job's vehicles and is final", async () => {
    expect(await api.put('/api/v1/models/model_a/approval', { token: operator, json: { requireApproval: true } })).toMatchObject({ status: 403 })
    expect(await api.put('/api/v1/models/model_a/approval', { token: admin, json: { requireApproval: true } })).toMatchObject({
      status: 200,
      json: { model: 'model_a', requireApproval: true }
    })
    expect((await api.get('/api/v1/models/approval', { token: viewer })).json.models).toEqual([expect.objectContaining({ model: 'model_a', requireApproval: true })])

    // Every vehicle runs 7.0.0 now and the first admin's job has ended: the next release.
    releaseId = await publish('7.1.0')
    const held = (await api.post('/api/v1/jobs', { token: operator, json: spec('model-held') })).json
    expect(held).toMatchObject({ state: 'waiting_approval', approval: { requiredBy: 'model model_a' } })
    expect(await api.post(`/api/v1/jobs/${held.id}/reject`, { token: manager, json: { comment: ' ' } })).toMatchObject({ status: 400 })
    const rejected = (await api.post(`/api/v1/jobs/${held.id}/reject`, { token: manager, json: { comment: 'wait for the 7.0.1 fix' } })).json
    expect(rejected).toMatchObject({
      state: 'rejected',
      reason: 'rejected by ravi-release-manager: wait for the 7.0.1 fix',
      approval: { decision: 'rejected', by: 'ravi-release-manager' },
      counts: { canceled: 6 }
    })
    expect(await api.post(`/api/v1/jobs/${held.id}/approve`, { token: admin, json: {} })).toMatchObject({ status: 409 })

    // A job that needs none cannot be approved; turning the rule off lets jobs start at once again.
    await api.put('/api/v1/models/model_a/approval', { token: admin, json: { requireApproval: false } })
    const free = (await api.post('/api/v1/jobs', { token: operator, json: spec('no approval needed') })).json
    expect(free).toMatchObject({ state: 'running', approval: null })
    expect(await api.post(`/api/v1/jobs/${free.id}/approve`, { token: manager, json: {} })).toMatchObject({
      status: 409,
      json: { error: { message: `job ${free.id} needs no approval` } }
    })
  }, 60_000)
})
