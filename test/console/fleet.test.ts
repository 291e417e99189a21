import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FleetFilters, FleetQuery, FleetSyncStatus } from '../../src/shared/calls/fleet'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { startFleet } from '../../src/vehicle/fleet'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

const VEHICLES = 30

async function until(check: () => Promise<boolean>, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`not so within ${timeoutMs} ms: ${check.toString()}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

// The fleet screen's data against a real backend and simulated fleet: the console copies the
// fleet when it connects, answers filtered and sorted windows the way the backend would, keeps
// saved views per profile, shows a vehicle's ECU tree, and keeps its copy (marked stale) when
// the backend is gone.
describe('the fleet from the console', () => {
  const data = tempDir('ota-console-fleet')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let client: Awaited<ReturnType<typeof ipcClient>>
  const statuses: FleetSyncStatus[] = []
  const api = () => client.api
  const truth = (query: string) => apiClient(backend.url, backend.caCertPem).get(`/api/v1/vehicles?limit=1000&${query}`, { token: backend.firstAdminToken! })
  const vins = async (query: string) => ((await truth(query)).json.vehicles as { vin: string }[]).map((v) => v.vin)
  const window = async (query: Partial<FleetQuery>, offset = 0, limit = 500) => value(await api().fleet.window({ filters: {}, sort: 'vin', order: 'asc', ...query, offset, limit }))
  const windowVins = async (query: Partial<FleetQuery>) => (await window(query)).rows.map((r) => r.vin)

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    const token = backend.firstAdminToken!
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: VEHICLES,
      models: ['model_a', 'model_b'],
      ecus: 3,
      failureRate: 0,
      offlineRate: 0,
      seed: 11,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    // One vehicle runs a newer ECU_002 (as its report says), two park offline.
    const updated = structuredClone(fleet.vehicles[0]!.spec.config)
    updated.zonalGateways.flatMap((z) => z.ecus).find((e) => e.id === 'ECU_002')!.software = '1.1.0'
    await fleet.vehicles[1]!.disconnect()
    await fleet.vehicles[2]!.disconnect()
    await until(async () => (await truth('online=false')).json.vehicles.length === 2)
    await until(async () => ((await truth('include=versions')).json.vehicles as { versions: object }[]).every((v) => Object.keys(v.versions).length === 4))
    await backend.services.registry.applyReport({ ...updated, at: new Date().toISOString() })

    client = await ipcClient()
    client.core.subscribe((event, payload) => event === 'fleet.changed' && statuses.push(payload as FleetSyncStatus))
  }, 60_000)
  afterAll(async () => {
    await client?.close()
    await fleet?.stop()
    await backend?.close().catch(() => {})
    data.remove()
  })

  it('says to choose a profile before there is a fleet to show', async () => {
    expect(await api().fleet.window({ offset: 0, limit: 50 })).toMatchObject({ ok: false, error: { code: 'NO_CONNECTION' } })
  })

  it('copies the fleet when the session connects, reporting progress, and answers windows as the backend filters and sorts', async () => {
    await signIn({ api: api() }, backend, backend.firstAdminToken!, 'Plant A')
    await expect.poll(async () => value(await api().fleet.status()), { timeout: 15_000 }).toMatchObject({ state: 'idle', stale: false, syncedAt: expect.any(String) })
    expect(statuses).toContainEqual(expect.objectContaining({ state: 'syncing', fetched: 0, expected: VEHICLES }))
    expect(statuses).toContainEqual(expect.objectContaining({ state: 'syncing', fetched: VEHICLES, expected: VEHICLES }))

    const all = await window({})
    expect(all).toMatchObject({ total: VEHICLES, offset: 0, stale: false, syncedAt: expect.any(String) })
    expect(all.rows.map((r) => r.vin)).toEqual(await vins(''))
    expect(all.rows.find((r) => r.vin === fleet.vehicles[0]!.spec.vin)!.versions).toEqual({ GATEWAY: '1.0.0', ECU_001: '1.0.0', ECU_002: '1.1.0', ECU_003: '1.0.0' })

    const region = fleet.vehicles[3]!.spec.region
    const prefix = fleet.vehicles[3]!.spec.vin.slice(0, 6)
    const cases: [FleetFilters, FleetQuery['sort'], FleetQuery['order'], string][] = [
      [{ model: 'model_b' }, 'lastSeen', 'desc', 'model=model_b&sort=lastSeen&order=desc'],
      [{ region }, 'model', 'asc', `region=${region}&sort=model`],
      [{ online: false }, 'vin', 'desc', 'online=false&order=desc'],
      [{ tag: 'pilot', online: true }, 'region', 'asc', 'tag=pilot&online=true&sort=region'],
      [{ ecu: 'ECU_002', version: '1.1.0' }, 'vin', 'asc', 'ecu=ECU_002&version=1.1.0'],
      [{ q: prefix.toLowerCase() }, 'vin', 'asc', `q=${prefix}`]
    ]
    for (const [filters, sort, order, query] of cases) expect(await windowVins({ filters, sort, order }), query).toEqual(await vins(query))
    expect(await windowVins({ filters: { online: false } })).toEqual([fleet.vehicles[1]!.spec.vin, fleet.vehicles[2]!.spec.vin].sort())
    expect(await windowVins({ filters: { ecu: 'ECU_002', version: '1.1.0' } })).toEqual([fleet.vehicles[0]!.spec.vin])

    // A window is a slice of the whole order, with its total.
    const online = await window({ sort: 'online', order: 'asc' })
    expect(online.rows.slice(0, 2).every((r) => !r.online)).toBe(true)
    const slice = await window({ sort: 'online', order: 'asc' }, 10, 5)
    expect(slice).toMatchObject({ total: VEHICLES, offset: 10 })
    expect(slice.rows).toEqual(online.rows.slice(10, 15))
    expect((await window({}, VEHICLES - 2, 50)).rows).toHaveLength(2)
  })

  it('rejects a version filter without its ECU, naming what is wrong', async () => {
    expect(await api().fleet.window({ filters: { version: '1.1.0' }, offset: 0, limit: 10 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('a version filter needs its ECU') }
    })
  })

  it('offers the values to filter by, with how many vehicles have each', async () => {
    const facets = value(await api().fleet.facets())
    expect(facets).toMatchObject({ total: VEHICLES, online: VEHICLES - 2 })
    expect(facets.models).toEqual([
      { value: 'model_a', count: 15 },
      { value: 'model_b', count: 15 }
    ])
    expect(facets.regions.reduce((n, r) => n + r.count, 0)).toBe(VEHICLES)
    expect(facets.ecus.map((e) => e.ecu)).toEqual(['ECU_001', 'ECU_002', 'ECU_003', 'GATEWAY'])
    expect(facets.ecus.find((e) => e.ecu === 'ECU_002')!.versions).toEqual([
      { value: '1.0.0', count: VEHICLES - 1 },
      { value: '1.1.0', count: 1 }
    ])
    const pilots = fleet.vehicles.filter((v) => v.spec.tags.includes('pilot')).length
    expect(facets.tags).toEqual(pilots ? [{ value: 'pilot', count: pilots }] : [])
  })

  it('keeps saved views per profile; saving under a taken name replaces that view', async () => {
    const query: FleetQuery = { filters: { model: 'model_b', online: false }, sort: 'lastSeen', order: 'desc' }
    const saved = value(await api().fleet.saveView({ name: 'Offline B', query }))
    expect(value(await api().fleet.views()).views).toEqual([saved])
    const replaced = value(await api().fleet.saveView({ name: 'Offline B', query: { ...query, order: 'asc' } }))
    expect(replaced.id).toBe(saved.id)
    expect(value(await api().fleet.views()).views).toEqual([expect.objectContaining({ name: 'Offline B', query: { ...query, order: 'asc' } })])
    expect(await api().fleet.saveView({ name: '  ', query })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('A view needs a name') }
    })

    const { activeId } = value(await api().profiles.list())
    const other = value(
      await api().profiles.create({
        name: 'Plant B',
        backendUrl: backend.url,
        mqttUrl: backend.mqttUrl,
        username: 'admin',
        authKind: 'token',
        caCertPem: backend.caCertPem,
        clientCertPem: null,
        password: backend.firstAdminToken!
      })
    )
    const signedIn = (name: string) => expect.poll(async () => value(await api().session.status()), { timeout: 10_000 }).toMatchObject({ profileName: name, backend: 'ok' })
    value(await api().profiles.setActive({ id: other.id }))
    await signedIn('Plant B')
    expect(value(await api().fleet.views()).views).toEqual([])
    value(await api().profiles.setActive({ id: activeId }))
    await signedIn('Plant A')
    value(await api().profiles.delete({ id: other.id }))

    value(await api().fleet.deleteView({ id: saved.id }))
    expect(value(await api().fleet.views()).views).toEqual([])
    expect(await api().fleet.deleteView({ id: saved.id })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it("shows a vehicle's gateway, zonal gateways and ECUs with versions, and its version history", async () => {
    const spec = fleet.vehicles[0]!.spec
    const { vehicle, stale } = value(await api().fleet.vehicle({ vin: spec.vin }))
    expect(stale).toBe(false)
    expect(vehicle.gateway).toEqual({ logicalAddress: spec.config.gateway.logicalAddress, hardware: spec.config.gateway.hardware, software: '1.0.0' })
    expect(vehicle.ecus.map((e) => `${e.zonalGateway}/${e.id}@${e.software}`)).toEqual(
      spec.config.zonalGateways.flatMap((z) => z.ecus.map((e) => `${z.id}/${e.id}@${e.id === 'ECU_002' ? '1.1.0' : '1.0.0'}`))
    )
    expect(vehicle.versionHistory).toContainEqual(expect.objectContaining({ ecu: 'ECU_002', from: '1.0.0', to: '1.1.0' }))
    expect(await api().fleet.vehicle({ vin: 'SMVZZZZZZZZ999999' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })

  it('keeps showing its copy, marked stale, when the backend is gone', async () => {
    await expect.poll(async () => value(await api().fleet.status()).state, { timeout: 10_000 }).toBe('idle')
    const before = await window({ filters: { model: 'model_a' } })
    const detail = value(await api().fleet.vehicle({ vin: fleet.vehicles[0]!.spec.vin }))
    await fleet.stop()
    await backend.close()

    const failed = value(await api().fleet.sync())
    expect(failed).toMatchObject({ state: 'failed', stale: true, syncedAt: before.syncedAt, message: expect.stringContaining('could not be reached') })
    expect(await window({ filters: { model: 'model_a' } })).toEqual({ ...before, stale: true })
    expect(value(await api().fleet.vehicle({ vin: fleet.vehicles[0]!.spec.vin }))).toEqual({ ...detail, stale: true })
    await expect.poll(async () => value(await api().session.status()).backend, { timeout: 10_000 }).toBe('unreachable')
  })
})
