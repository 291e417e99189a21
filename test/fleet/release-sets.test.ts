import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import type { DeploymentView } from '../../src/shared/fleet/release-sets'

// Vehicle configuration and release sets against the real backend and simulated vehicles (six
// ECUs behind two zonal gateways): the configuration's history and its differences; a set that
// names what blocks an incompatible vehicle; zones installing in parallel in dependency order;
// and one ECU failing, which rolls its zone-mates (and the other zone's ECUs) back.
describe('vehicle configuration and release sets', () => {
  const data = tempDir('ota-release-sets')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let api: ReturnType<typeof apiClient>
  let admin: string

  const release = async (ecu: string, version: string, channels: string[]) => {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(20_000) })).json
    const index = Number(ecu.slice(4))
    const created = await api.post('/api/v1/releases', {
      token: admin,
      json: { model: 'model_a', ecu, version, hardware: [hardwareFor('model_a', index)], artifactSha256: sha256, channels }
    })
    expect(created.status).toBe(201)
    expect((await api.post(`/api/v1/releases/${created.json.id}/publish`, { token: admin })).status).toBe(200)
    return created.json.id as string
  }
  const vciOf = async (vin: string) => (await api.get(`/api/v1/vehicles/${vin}/vci`, { token: admin })).json
  const deploymentsOf = async (setId: string) => (await api.get(`/api/v1/release-sets/${setId}/deployments`, { token: admin })).json.deployments as DeploymentView[]

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    admin = backend.firstAdminToken!
    api = apiClient(backend.url, backend.caCertPem)
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token: admin,
      count: 3,
      models: ['model_a'],
      ecus: 6,
      failureRate: 0,
      offlineRate: 0,
      seed: 47,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
  }, 60_000)
  afterAll(async () => {
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('keeps each vehicle configuration (zone, hardware, software, serial) as it changes; a repeated report adds nothing', async () => {
    const [first] = fleet.vehicles
    await expect.poll(async () => (await vciOf(first!.spec.vin)).snapshots.length, { timeout: 10_000 }).toBe(1)
    const [now] = (await vciOf(first!.spec.vin)).snapshots
    expect(now.ecus).toHaveLength(7)
    expect(now.ecus).toContainEqual({ ecu: 'ECU_004', zone: 'ZGW_02', hardware: hardwareFor('model_a', 4), software: '1.0.0', serial: expect.stringMatching(/^SN\d{6}004$/) })
    expect(now.ecus).toContainEqual(expect.objectContaining({ ecu: 'GATEWAY', zone: '' }))
    await first!.announce()
    await backend.fleetLink.settled()
    expect((await vciOf(first!.spec.vin)).snapshots).toHaveLength(1)
    expect((await api.get(`/api/v1/vehicles/${first!.spec.vin}`, { token: admin })).json.ecus[0].serial).toMatch(/^SN/)
  })

  it('names what blocks an incompatible vehicle, and installs the set zone by zone in dependency order on the others', async () => {
    // ECU_004 2.0.0 is on beta, and two of the three vehicles are: the third keeps 1.0.0.
    await release('ECU_004', '2.0.0', ['beta'])
    const [a, b, c] = fleet.vehicles
    for (const v of [a!, b!]) {
      expect((await api.put(`/api/v1/vehicles/${v.spec.vin}/channel`, { token: admin, json: { channel: 'beta' } })).status).toBe(200)
      await v.checkForUpdates()
      expect(v.versions().ECU_004).toBe('2.0.0')
    }
    await expect.poll(async () => (await vciOf(a!.spec.vin)).snapshots.length, { timeout: 10_000 }).toBe(2)

    // The set's members sit on a channel no vehicle is on: they reach vehicles only in the set.
    const members = {
      ECU_001: await release('ECU_001', '2.0.0', ['sets']),
      ECU_002: await release('ECU_002', '2.0.0', ['sets']),
      ECU_003: await release('ECU_003', '2.0.0', ['sets'])
    }
    const refused = await api.post('/api/v1/release-sets', {
      token: admin,
      json: {
        model: 'model_a',
        name: 'brakes',
        version: '2.0.0',
        members: [
          { releaseId: members.ECU_001, after: ['ECU_003'] },
          { releaseId: members.ECU_003, after: ['ECU_001'] }
        ]
      }
    })
    expect(refused.status).toBe(400)
    expect(refused.json.error.message).toMatch(/cycle among ECU_001, ECU_003/)

    const created = await api.post('/api/v1/release-sets', {
      token: admin,
      json: {
        model: 'model_a',
        name: 'brakes',
        version: '2.0.0',
        // ECU_001 (zone 1) after ECU_002 (zone 2); ECU_003 (zone 1) after ECU_001.
        members: [{ releaseId: members.ECU_001, after: ['ECU_002'] }, { releaseId: members.ECU_002 }, { releaseId: members.ECU_003, after: ['ECU_001'] }],
        requires: [{ ecu: 'ECU_004', range: '>=2.0.0' }]
      }
    })
    expect(created.status).toBe(201)
    const set = created.json

    const verdicts = (await api.get(`/api/v1/release-sets/${set.id}/compatibility`, { token: admin })).json.vehicles
    expect(verdicts.find((v: { vin: string }) => v.vin === c!.spec.vin).compatibility).toEqual({
      compatible: false,
      blockers: [{ ecu: 'ECU_004', kind: 'version-required', found: '1.0.0', needed: '>=2.0.0' }]
    })
    expect(verdicts.find((v: { vin: string }) => v.vin === a!.spec.vin).compatibility).toEqual({
      compatible: true,
      alreadyInstalled: [],
      zones: [
        {
          zone: 'ZGW_01',
          steps: [
            { ecu: 'ECU_001', releaseId: members.ECU_001, from: '1.0.0', to: '2.0.0', after: ['ECU_002'] },
            { ecu: 'ECU_003', releaseId: members.ECU_003, from: '1.0.0', to: '2.0.0', after: ['ECU_001'] }
          ]
        },
        { zone: 'ZGW_02', steps: [{ ecu: 'ECU_002', releaseId: members.ECU_002, from: '1.0.0', to: '2.0.0', after: [] }] }
      ]
    })

    const sent = await api.post(`/api/v1/release-sets/${set.id}/deployments`, { token: admin, json: { vins: [a!.spec.vin, c!.spec.vin] } })
    expect(sent.status).toBe(201)
    const blocked = sent.json.deployments.find((d: { vin: string }) => d.vin === c!.spec.vin)
    expect(blocked).toMatchObject({ state: 'blocked', blockers: [{ ecu: 'ECU_004', kind: 'version-required', found: '1.0.0' }] })

    await expect.poll(async () => (await deploymentsOf(set.id)).find((d) => d.vin === a!.spec.vin)?.state, { timeout: 20_000, interval: 200 }).toBe('succeeded')
    expect(a!.versions()).toMatchObject({ ECU_001: '2.0.0', ECU_002: '2.0.0', ECU_003: '2.0.0', ECU_004: '2.0.0', ECU_005: '1.0.0' })
    expect(c!.versions().ECU_001).toBe('1.0.0')
    // Dependency order, across the zones: ECU_002 done before ECU_001 starts, ECU_001 before ECU_003.
    const history = (await api.get(`/api/v1/vehicles/${a!.spec.vin}`, { token: admin })).json.updateHistory as { ecu: string; step: string; at: string }[]
    const at = (ecu: string, step: string) => history.find((h) => h.ecu === ecu && h.step === step)!.at
    expect(at('ECU_002', 'done') <= at('ECU_001', 'installing')).toBe(true)
    expect(at('ECU_001', 'done') <= at('ECU_003', 'installing')).toBe(true)
    // Off the set, the members stay off every vehicle's offers.
    await c!.checkForUpdates()
    expect(c!.versions().ECU_001).toBe('1.0.0')

    const audit = (await api.get('/api/v1/audit?action=release-set.install', { token: admin })).json.entries
    expect(audit[0]).toMatchObject({ actor: `vehicle:${a!.spec.vin}`, outcome: 'ok' })

    // The history shows the set's change: a diff names ECU_001..003 going from 1.0.0 to 2.0.0.
    await expect.poll(async () => (await vciOf(a!.spec.vin)).snapshots[0].ecus.find((e: { ecu: string }) => e.ecu === 'ECU_003').software, { timeout: 10_000 }).toBe('2.0.0')
  })

  it('rolls every ECU of the update back when one fails, and says which one failed and why', async () => {
    const [, b] = fleet.vehicles
    const set = (await api.get('/api/v1/release-sets?model=model_a', { token: admin })).json.sets[0]
    b!.setEcuFault('ECU_003', 'install-error')
    const sent = await api.post(`/api/v1/release-sets/${set.id}/deployments`, { token: admin, json: { vins: [b!.spec.vin] } })
    expect(sent.json.deployments[0].state).toBe('sent')
    await expect.poll(async () => (await deploymentsOf(set.id)).find((d) => d.vin === b!.spec.vin)?.state, { timeout: 20_000, interval: 200 }).toBe('rolled-back')
    const deployment = (await deploymentsOf(set.id)).find((d) => d.vin === b!.spec.vin)!
    expect(deployment.failed).toEqual({ ecu: 'ECU_003', cause: 'install-error', detail: 'ECU_003 rejected the image while flashing' })
    // ECU_001 (its zone-mate) and ECU_002 (the other zone) had installed: both went back.
    expect(Object.fromEntries(deployment.ecus.map((e) => [e.ecu, e.state]))).toEqual({
      ECU_001: 'rolled-back',
      ECU_002: 'rolled-back',
      ECU_003: 'failed'
    })
    expect(b!.versions()).toMatchObject({ ECU_001: '1.0.0', ECU_002: '1.0.0', ECU_003: '1.0.0' })
    await expect
      .poll(async () => (await api.get(`/api/v1/vehicles/${b!.spec.vin}?`, { token: admin })).json.ecus.find((e: { id: string }) => e.id === 'ECU_001').software, {
        timeout: 10_000
      })
      .toBe('1.0.0')
    const audit = (await api.get('/api/v1/audit?action=release-set.install', { token: admin })).json.entries
    expect(audit[0]).toMatchObject({
      actor: `vehicle:${b!.spec.vin}`,
      outcome: 'failed',
      detail: expect.stringMatching(/^ECU_003 failed \(install-error.*rolled back ECU_00[12], ECU_00[12]$/)
    })
  })
})
