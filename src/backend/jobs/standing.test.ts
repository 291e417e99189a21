import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StandingRule } from '../../shared/fleet/jobs'
import { apiClient } from '../../../test/support/https-client'
import { startPostgres, type RunningPostgres } from '../../../test/support/postgres'
import { tempDir } from '../../../test/support/temp-dir'
import { startBackend, type RunningBackend } from '../server'
import { wallClock } from './maintenance'
import { standingAllows } from './standing'
import { enrolledVehicle } from '../../../test/support/vehicle-keys'

const rule = (overrides: object = {}) => StandingRule.parse({ releaseId: 'rel_000000000000', selection: {}, ...overrides })
const jp = { vin: 'SMV00000000000001', model: 'model_a', region: 'jp', timeZone: 'Asia/Tokyo', tags: ['pilot'] }
// A Monday, 03:00 in Japan (18:00 UTC on Sunday).
const mondayJp3am = Date.parse('2026-11-29T18:00:00Z')

describe('a standing rule', () => {
  it('offers to the vehicles its selection names', () => {
    expect(standingAllows(rule(), jp, '1.0.0', mondayJp3am)).toBe(true)
    expect(standingAllows(rule({ selection: { regions: ['eu'] } }), jp, '1.0.0', mondayJp3am)).toBe(false)
    expect(standingAllows(rule({ selection: { tags: ['pilot'], models: ['model_a'] } }), jp, '1.0.0', mondayJp3am)).toBe(true)
    expect(standingAllows(rule({ selection: { tags: ['fleet-x'] } }), jp, '1.0.0', mondayJp3am)).toBe(false)
    expect(standingAllows(rule({ selection: { vins: ['SMV00000000000002'] } }), jp, '1.0.0', mondayJp3am)).toBe(false)
    expect(standingAllows(rule({ selection: { versionRange: '<1.0.0' } }), jp, '1.0.0', mondayJp3am)).toBe(false)
  })

  it('offers only between its dates and inside its windows, in the vehicle’s local time', () => {
    expect(standingAllows(rule({ startAt: '2026-12-01T00:00:00Z' }), jp, '1.0.0', mondayJp3am)).toBe(false)
    expect(standingAllows(rule({ endAt: '2026-11-29T17:00:00Z' }), jp, '1.0.0', mondayJp3am)).toBe(false)
    expect(standingAllows(rule({ maintenanceWindows: [{ days: [1], start: '02:00', durationMinutes: 120 }] }), jp, '1.0.0', mondayJp3am)).toBe(true)
    expect(standingAllows(rule({ maintenanceWindows: [{ days: [0], start: '02:00', durationMinutes: 120 }] }), jp, '1.0.0', mondayJp3am)).toBe(false)
  })
})

describe.each(['sqlite', 'postgres'] as const)('standing policies decide what asking vehicles are offered, on %s', (engine) => {
  const data = tempDir('ota-standing')
  let cluster: RunningPostgres | undefined
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let token: string
  const vehicles: Record<string, ReturnType<typeof apiClient>> = {}
  const releases: Record<string, string> = {}

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
    backend = await startBackend({ dataDir: data.dir, database: cluster && (await cluster.database('standing')), log: () => {} })
    api = apiClient(backend.url, backend.caCertPem)
    token = backend.firstAdminToken!
    for (const [vin, region] of [
      ['SMVSTAND000000001', 'jp'],
      ['SMVSTAND000000002', 'eu']
    ] as const) {
      vehicles[region] = apiClient(backend.url, backend.caCertPem, (await enrolledVehicle(api, token, { vin, model: 'model_a', region })).identity)
      // What the vehicle's version report would have recorded.
      await backend.services.db.run('INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, ?, ?, ?, ?, ?)', [
        vin,
        'ECU_001',
        0x1001,
        'ZGW_01',
        'hw-1',
        '1.0.0'
      ])
    }
    for (const version of ['1.1.0', '1.2.0']) {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(1000) })).json
      releases[version] = (await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version, hardware: ['hw-1'], artifactSha256: sha256 } })).json.id
      await api.post(`/api/v1/releases/${releases[version]}/publish`, { token })
    }
  })
  afterAll(async () => {
    await backend.close()
    await cluster?.stop()
    data.remove()
  })

  const offered = async (region: string) =>
    (
      await vehicles[region]!.post('/api/v1/device/check-update', {
        json: {
          ecus: [
            { ecu: 'ECU_001', hardware: 'hw-1', version: '1.0.0' },
            { ecu: 'ECU_002', hardware: 'hw-2', version: '1.0.0' }
          ]
        }
      })
    ).json.updates?.map((u: { version: string }) => u.version) ?? []

  it('without one, every vehicle is offered the newest published release; with one, only what it allows', async () => {
    expect(await offered('jp')).toEqual(['1.2.0'])
    expect(await offered('eu')).toEqual(['1.2.0'])

    const created = await api.post('/api/v1/policies', {
      token,
      json: { name: 'Japan stays on 1.1.0', kind: 'standing', rule: { releaseId: releases['1.1.0'], selection: { regions: ['jp'] } } }
    })
    expect(created).toMatchObject({ status: 201, json: { kind: 'standing', rule: { releaseId: releases['1.1.0'], selection: { regions: ['jp'] }, maintenanceWindows: [] } } })
    expect(await offered('jp')).toEqual(['1.1.0'])
    expect(await offered('eu')).toEqual([])

    expect((await api.get(`/api/v1/policies/${created.json.id}/preview`, { token })).json).toEqual({ selected: 1, waves: [1] })
    expect(await api.post(`/api/v1/policies/${created.json.id}/jobs`, { token, json: { name: 'x' } })).toMatchObject({
      status: 409,
      json: { error: { message: expect.stringContaining('is a standing rule') } }
    })
    expect(
      await api.put(`/api/v1/policies/${created.json.id}`, {
        token,
        json: { name: 'now a template', spec: { releaseId: releases['1.1.0'], selection: {}, rollout: { waves: [{ size: { percent: 100 } }] } } }
      })
    ).toMatchObject({ status: 409 })

    await api.delete(`/api/v1/policies/${created.json.id}`, { token })
    expect(await offered('eu')).toEqual(['1.2.0'])
  })

  it('opens its windows in each vehicle’s registered zone: a window open now in Tokyo is shut in Berlin', async () => {
    const { day, minute } = wallClock(Date.now(), 'Asia/Tokyo')
    const from = Math.max(0, minute - 30)
    const start = `${String(Math.floor(from / 60)).padStart(2, '0')}:${String(from % 60).padStart(2, '0')}`
    const created = await api.post('/api/v1/policies', {
      token,
      json: { name: 'Tokyo’s hour', kind: 'standing', rule: { releaseId: releases['1.1.0'], selection: {}, maintenanceWindows: [{ days: [day], start, durationMinutes: 90 }] } }
    })
    expect(created.status).toBe(201)
    expect(await offered('jp')).toEqual(['1.1.0'])
    expect(await offered('eu')).toEqual([])
    await api.delete(`/api/v1/policies/${created.json.id}`, { token })
  })
})
