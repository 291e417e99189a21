import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from '../../../test/support/https-client'
import { tempDir } from '../../../test/support/temp-dir'
import { startBackend, type RunningBackend } from '../server'

describe('upgrade policies (templates) over the API', () => {
  const data = tempDir('ota-policies')
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let admin: string
  let operator: string
  let viewer: string
  let template: object

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, mqttPort: 0, engineTickMs: 3_600_000, log: () => {} })
    api = apiClient(backend.url, backend.caCertPem)
    admin = backend.firstAdminToken!
    operator = (await api.post('/api/v1/tokens', { token: admin, json: { name: 'op', role: 'operator' } })).json.token
    viewer = (await api.post('/api/v1/tokens', { token: admin, json: { name: 'view', role: 'viewer' } })).json.token
    const { db } = backend.services
    for (let i = 0; i < 12; i++) {
      const vin = `PLC${String(i).padStart(14, '0')}`
      await db.run('INSERT INTO vehicles (vin, model, region, tags, created_at) VALUES (?, ?, ?, ?, ?)', [vin, 'model_a', i % 2 ? 'eu' : 'jp', '[]', 'x'])
      await db.run('INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, ?, ?, ?, ?, ?)', [
        vin,
        'ECU_001',
        4097,
        'ZGW_01',
        'hw',
        '1.0.0'
      ])
    }
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(1000) })).json
    const rel = (await api.post('/api/v1/releases', { token: admin, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: ['hw'], artifactSha256: sha256 } })).json
    await api.post(`/api/v1/releases/${rel.id}/publish`, { token: admin })
    template = { releaseId: rel.id, selection: { regions: ['eu'] }, rollout: { waves: [{ size: { count: 2 }, canary: true }, { size: { percent: 100 } }] }, actionType: 'soft' }
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('saves, previews, reuses, changes and deletes a template, by role', async () => {
    expect((await api.post('/api/v1/policies', { token: viewer, json: { name: 'EU nightly', spec: template } })).status).toBe(403)
    const made = await api.post('/api/v1/policies', { token: operator, json: { name: 'EU nightly', spec: template } })
    expect(made).toMatchObject({ status: 201, json: { name: 'EU nightly', kind: 'template', createdBy: 'op', spec: { actionType: 'soft' } } })
    expect(await api.post('/api/v1/policies', { token: operator, json: { name: 'EU nightly', spec: template } })).toMatchObject({
      status: 409,
      json: { error: { message: 'a policy named "EU nightly" exists' } }
    })
    const id: string = made.json.id
    expect((await api.get(`/api/v1/policies/${id}/preview`, { token: viewer })).json).toEqual({ selected: 6, waves: [2, 4] })

    const job = await api.post(`/api/v1/policies/${id}/jobs`, { token: operator, json: { name: 'EU nightly #1' } })
    expect(job).toMatchObject({ status: 201, json: { name: 'EU nightly #1', state: 'running', counts: { queued: 6 }, spec: { actionType: 'soft' } } })

    const updated = await api.put(`/api/v1/policies/${id}`, { token: operator, json: { name: 'Everywhere', spec: { ...template, selection: {} } } })
    expect(updated).toMatchObject({ status: 200, json: { spec: { selection: {} } } })
    expect((await api.get(`/api/v1/policies/${id}/preview`, { token: viewer })).json.selected).toBe(12)
    expect((await api.get('/api/v1/policies', { token: viewer })).json.policies.map((p: { name: string }) => p.name)).toEqual(['Everywhere'])

    expect((await api.delete(`/api/v1/policies/${id}`, { token: operator })).status).toBe(204)
    expect((await api.delete(`/api/v1/policies/${id}`, { token: operator })).status).toBe(404)
    expect((await api.get(`/api/v1/jobs/${job.json.id}`, { token: viewer })).json.state).toBe('running')
  })

  it('refuses a template of a release that does not exist, naming it (404, not a failed foreign key)', async () => {
    const unknown = { ...template, releaseId: 'rel_0000000000000000' }
    const refused = { status: 404, json: { error: { code: 'not-found', message: 'release rel_0000000000000000 not found' } } }
    expect(await api.post('/api/v1/policies', { token: operator, json: { name: 'Nowhere', spec: unknown } })).toMatchObject(refused)
    const made = await api.post('/api/v1/policies', { token: operator, json: { name: 'Somewhere', spec: template } })
    expect(await api.put(`/api/v1/policies/${made.json.id}`, { token: operator, json: { name: 'Somewhere', spec: unknown } })).toMatchObject(refused)
  })
})
