import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import type { FlashProgressEvent } from '../../src/shared/calls/uds-session'
import type { EventName } from '../../src/shared/contract'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { until } from '../bundles/support'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

// The diag.* calls over DoIP, as a workshop screen or otactl uses them: discovery, a session with
// routing activated, answers decoded, failures with their codes; and a flash from an imported
// offline bundle, reported on diag.progress and recorded in the bundle's results.
describe('diagnostics over DoIP through the contract', () => {
  const data = tempDir('ota-diag-contract')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let client: Awaited<ReturnType<typeof ipcClient>>
  const events: { event: EventName; payload: unknown }[] = []

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, engineTickMs: 100, log: () => {} })
    const token = backend.firstAdminToken!
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 1,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 41,
      pq: false,
      pollMs: 0,
      doip: { host: '127.0.0.1', port: 0 },
      log: () => {}
    })
    client = await ipcClient()
    client.core.subscribe((event, payload) => events.push({ event, payload }))
    await signIn(client, backend, token, 'bay-1')
  }, 60_000)
  afterAll(async () => {
    await client?.close()
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('discovers the entity, connects, answers decoded, and reports failures by code', async () => {
    const entity = fleet.entities[0]!
    const { vehicles } = value(await client.api.diag.discover({ address: '127.0.0.1', port: entity.udpPort, timeoutMs: 500 }))
    expect(vehicles).toMatchObject([{ vin: entity.info.vin, logicalAddress: 0x0e00, host: '127.0.0.1', port: entity.udpPort }])

    const view = value(await client.api.diag.connect({ doip: { host: '127.0.0.1', port: entity.tcpPort } }))
    expect(view).toEqual({ session: expect.stringMatching(/^dgs_/), kind: 'doip', vin: entity.info.vin, entityAddress: 0x0e00, ecus: [] })
    // Named operations are encoded by the core: the answer says which bytes went out.
    const dtcs = value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'readDtcs', statusMask: 0xff } }))
    expect(dtcs.request).toBe('1902FF')
    const vin = value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'readDids', dids: ['F190'] } }))
    expect(vin).toMatchObject({ request: '22F190', decoded: { kind: 'positive', service: 'readDataByIdentifier' } })
    expect(dtcs.decoded).toMatchObject({ kind: 'positive', service: 'readDtcInformation' })
    const first = (dtcs.decoded as { dtcs: { code: string; status: number; statusBits: string[] }[] }).dtcs[0]!
    expect(first.code).toMatch(/^U[0-3][0-9A-F]{3}-[0-9A-F]{2}$/)
    expect(first.statusBits.length).toBe([...first.status.toString(2)].filter((b) => b === '1').length)
    const session = value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '10 03' } }))
    expect(session.decoded).toEqual({ kind: 'positive', service: 'diagnosticSessionControl', summary: 'session 03 (P2 50 ms, P2* 5000 ms)' })
    expect(value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '3E 80' } })).decoded).toEqual({ kind: 'none' })

    expect(await client.api.diag.request({ session: view.session, target: 0x2000, operation: { kind: 'raw', uds: '22 F1 90' } })).toEqual({
      ok: false,
      error: { code: 'DIAG_REFUSED', message: 'The DoIP entity refused the diagnostic message to 0x2000: Unknown target address (NACK 0x03)' }
    })
    expect(await client.api.diag.connect({ doip: { host: '127.0.0.1', port: entity.tcpPort, testerAddress: 0x0100 } })).toEqual({
      ok: false,
      error: { code: 'DIAG_REFUSED', message: 'Routing activation denied: unknown source address (code 0x00)' }
    })
    expect(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '22 F' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })

    value(await client.api.diag.close({ session: view.session }))
    expect(events.filter((e) => e.event === 'diag.state').map((e) => e.payload)).toContainEqual({ session: view.session, state: 'closed', detail: null })
    expect(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '22 F1 90' } })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' }
    })
  })

  it("flashes an ECU from an imported offline bundle and records the result in the bundle's results", async () => {
    const token = backend.firstAdminToken!
    const http = apiClient(backend.url, backend.caCertPem)
    const { sha256 } = (await http.post('/api/v1/artifacts', { token, body: randomBytes(100_000) })).json
    const releaseId = (
      await http.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
    ).json.id
    await http.post(`/api/v1/releases/${releaseId}/publish`, { token })
    value(await client.api.bundles.registerWorkshop({ name: 'Bay 1' }))
    const dryRun = { name: 'x', releaseId, selection: {}, rollout: { waves: [{ size: { percent: 100 } }] } }
    await until(async () => (await http.post('/api/v1/jobs/dry-run', { token, json: dryRun })).json.selected === 1, 'the vehicle reported its ECUs')
    const job = value(
      await client.api.jobs.create({
        name: 'Workshop',
        releaseId,
        selection: {},
        rollout: { waves: [{ size: { percent: 100 } }] },
        schedule: { startAt: new Date(Date.now() + 600_000).toISOString(), maintenanceWindows: [] }
      })
    )
    const workshopId = value(await client.api.bundles.workshops()).workshops[0]!.id
    const file = value(await client.api.bundles.export({ jobId: job.id, workshopId, expiresInHours: 24 }))
    value(await client.api.bundles.import({ fileId: file.fileId }))
    const bundleId = file.bundleId

    const entity = fleet.entities[0]!
    const { session } = value(await client.api.diag.connect({ doip: { host: '127.0.0.1', port: entity.tcpPort } }))
    expect(await client.api.diag.flash({ session, target: 0x1002, bundleId })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `The bundle has no firmware for 0x1002 of ${entity.info.vin} in bundle ${bundleId}; it has firmware for ECU_001 (0x1001).` }
    })
    expect(await client.api.diag.flash({ session, target: 0x1001, releaseId })).toEqual({
      ok: false,
      error: { code: 'DIAG_REFUSED', message: 'A DoIP flash takes its verified image from an offline bundle: give bundleId.' }
    })

    const { flashId } = value(await client.api.diag.flash({ session, target: 0x1001, bundleId }))
    const progress = () => events.filter((e) => e.event === 'diag.progress' && (e.payload as FlashProgressEvent).flashId === flashId).map((e) => e.payload as FlashProgressEvent)
    await expect.poll(() => progress().at(-1)?.state, { timeout: 10_000, interval: 20 }).toBe('succeeded')
    expect(progress().at(-1)).toMatchObject({
      session,
      target: 0x1001,
      step: 'readBack',
      percent: 100,
      bytesSent: 100_000,
      bytesTotal: 100_000,
      versionBefore: '1.0.0',
      versionAfter: '1.1.0',
      message: null
    })
    expect(progress().some((p) => p.step === 'transfer' && p.bytesPerSecond > 0)).toBe(true)

    const { results } = value(await client.api.bundles.get({ bundleId }))
    expect(results).toMatchObject([{ vin: entity.info.vin, ecu: 'ECU_001', releaseId, outcome: 'succeeded', cause: null, versionBefore: '1.0.0', versionAfter: '1.1.0' }])
    expect(results[0]!.steps.map((s) => s.step)).toEqual(['verify', 'prepare', 'session', 'unlock', 'erase', 'download', 'transfer', 'exit', 'check', 'reset', 'readBack', 'done'])
    expect(fleet.vehicles[0]!.versions().ECU_001).toBe('1.1.0')
  })
})
