import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import type { FlashProgressEvent } from '../../src/shared/calls/uds-session'
import type { EventName } from '../../src/shared/contract'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

const ascii = (text: string) => Buffer.from(text, 'latin1').toString('hex').toUpperCase()

// Remote diagnostics from the console, through a real backend and simulated vehicles: UDS relayed
// to a gateway, a remote flash the gateway runs itself with progress streamed back and the new
// version in the backend's registry, an offline vehicle, and a role that may not diagnose.
describe('remote diagnostics through the backend relay', () => {
  const data = tempDir('ota-diag-remote')
  let backend: RunningBackend
  let fleet: Awaited<ReturnType<typeof startFleet>>
  let client: Awaited<ReturnType<typeof ipcClient>>
  const events: { event: EventName; payload: unknown }[] = []
  let releaseId: string
  let token: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    token = backend.firstAdminToken!
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 2,
      models: ['model_a'],
      ecus: 2,
      failureRate: 0,
      offlineRate: 0,
      seed: 31,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    const api = apiClient(backend.url, backend.caCertPem)
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(300_000) })).json
    releaseId = (
      await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.4.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
    ).json.id
    await api.post(`/api/v1/releases/${releaseId}/publish`, { token })
    client = await ipcClient()
    client.core.subscribe((event, payload) => events.push({ event, payload }))
    await signIn(client, backend, token, 'Fleet')
  }, 60_000)
  afterAll(async () => {
    await client?.close()
    await fleet?.stop()
    await backend?.close()
    data.remove()
  })

  it('reads F190 through the relay, decoded, and names an NRC', async () => {
    const vin = fleet.vehicles[0]!.spec.vin
    const view = value(await client.api.diag.connect({ vin }))
    expect(view).toMatchObject({ kind: 'remote', vin, entityAddress: null })
    expect(view.ecus.map((e) => [e.id, e.logicalAddress])).toEqual([
      ['GATEWAY', 0x0e00],
      ['ECU_001', 0x1001],
      ['ECU_002', 0x1002]
    ])
    const answer = value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '22 F1 90' } }))
    expect(answer).toMatchObject({
      target: 0x1001,
      request: '22F190',
      response: `62F190${ascii(vin)}`,
      decoded: { kind: 'positive', service: 'readDataByIdentifier', dids: [{ did: 'F190', name: 'VIN', value: vin }] }
    })
    const refused = value(await client.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '22 12 34' } }))
    expect(refused.decoded).toEqual({ kind: 'negative', requestSid: 0x22, nrc: 0x31, name: 'requestOutOfRange', description: expect.any(String) })
    const missing = await client.api.diag.request({ session: view.session, target: 0x2000, operation: { kind: 'raw', uds: '22 F1 90' } })
    expect(missing).toEqual({ ok: false, error: { code: 'DIAG_REFUSED', message: `The gateway of ${vin} answered: no ECU at 0x2000 in ${vin}` } })
    const audit = (await apiClient(backend.url, backend.caCertPem).get('/api/v1/audit?action=diag.run', { token })).json
    expect(audit.entries[0]).toMatchObject({ actor: 'admin', action: 'diag.run', object: `${vin}/0x2000`, outcome: 'ok' })
  })

  it('starts a remote flash the gateway runs locally; progress streams back and the registry shows the new version', async () => {
    const vin = fleet.vehicles[1]!.spec.vin
    const { session } = value(await client.api.diag.connect({ vin }))
    const wrong = await client.api.diag.flash({ session, target: 0x1002, releaseId })
    expect(wrong).toEqual({ ok: false, error: { code: 'CONFLICT', message: `Release ${releaseId} is for ECU_001, which is at 0x1001 in vehicle ${vin}, not 0x1002.` } })

    const { flashId } = value(await client.api.diag.flash({ session, target: 0x1001, releaseId }))
    const progress = () => events.filter((e) => e.event === 'diag.progress' && (e.payload as FlashProgressEvent).flashId === flashId).map((e) => e.payload as FlashProgressEvent)
    await expect.poll(() => progress().at(-1)?.state, { timeout: 20_000, interval: 50 }).toBe('succeeded')
    const steps = [...new Set(progress().map((p) => p.step))]
    expect(steps).toEqual(['verify', 'prepare', 'session', 'unlock', 'erase', 'download', 'transfer', 'exit', 'check', 'reset', 'readBack'])
    expect(progress().at(-1)).toMatchObject({ state: 'succeeded', percent: 100, bytesTotal: 300_000, versionBefore: '1.0.0', versionAfter: '1.4.0', message: null })
    expect(fleet.vehicles[1]!.versions().ECU_001).toBe('1.4.0')

    const api = apiClient(backend.url, backend.caCertPem)
    await expect
      .poll(async () => (await api.get(`/api/v1/vehicles/${vin}`, { token })).json.ecus.find((e: { id: string }) => e.id === 'ECU_001').software, { timeout: 5000 })
      .toBe('1.4.0')
    const detail = (await api.get(`/api/v1/vehicles/${vin}`, { token })).json
    expect(detail.updateHistory[0]).toMatchObject({ releaseId, ecu: 'ECU_001', step: 'done' })
    expect(detail.versionHistory[0]).toMatchObject({ ecu: 'ECU_001', from: '1.0.0', to: '1.4.0' })
  })

  it('aborts a remote flash: the gateway stops, the ECU keeps its version, and a new flash succeeds', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(200_000) })).json
    const next = (
      await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: '1.5.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })
    ).json.id
    await api.post(`/api/v1/releases/${next}/publish`, { token })
    const vin = fleet.vehicles[1]!.spec.vin
    const { session } = value(await client.api.diag.connect({ vin }))
    const { flashId } = value(await client.api.diag.flash({ session, target: 0x1001, releaseId: next }))
    const progress = () => events.filter((e) => e.event === 'diag.progress' && (e.payload as FlashProgressEvent).flashId === flashId).map((e) => e.payload as FlashProgressEvent)
    // The erase takes 300 ms on the simulated ECU: abort while it runs.
    await expect.poll(() => progress().some((p) => p.step === 'erase'), { timeout: 10_000, interval: 10 }).toBe(true)
    value(await client.api.diag.abort({ flashId }))
    await expect.poll(() => progress().at(-1)?.state, { timeout: 10_000, interval: 50 }).toBe('aborted')
    expect(progress().at(-1)!.message).toMatch(/aborted/)
    const read = async (did: string) => value(await client.api.diag.request({ session, target: 0x1001, operation: { kind: 'raw', uds: `22 ${did}` } })).decoded
    expect(await read('F195')).toMatchObject({ dids: [{ value: '1.4.0' }] })
    expect((await read('F1A1')) as { dids: { hex: string }[] }).toMatchObject({ dids: [{ hex: '01' }] })

    const again = value(await client.api.diag.flash({ session, target: 0x1001, releaseId: next }))
    await expect
      .poll(
        () =>
          (events.filter((e) => e.event === 'diag.progress' && (e.payload as FlashProgressEvent).flashId === again.flashId).at(-1)?.payload as FlashProgressEvent | undefined)
            ?.state,
        { timeout: 20_000, interval: 50 }
      )
      .toBe('succeeded')
    expect(await read('F195')).toMatchObject({ dids: [{ value: '1.5.0' }] })
  })

  it('reports an offline vehicle clearly, and refuses a viewer', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const vehicle = fleet.vehicles[0]!
    const { session } = value(await client.api.diag.connect({ vin: vehicle.spec.vin }))
    await vehicle.disconnect()
    await expect.poll(async () => (await api.get(`/api/v1/vehicles/${vehicle.spec.vin}`, { token })).json.online, { timeout: 5000 }).toBe(false)
    const offline = await client.api.diag.request({ session, target: 0x1001, operation: { kind: 'raw', uds: '22 F1 90' } })
    expect(offline).toMatchObject({
      ok: false,
      error: { code: 'TIMEOUT', message: expect.stringMatching(new RegExp(`^Vehicle ${vehicle.spec.vin} is offline \\(last seen .+\\): nothing was sent to it\\.$`)) }
    })

    const viewer = (await api.post('/api/v1/tokens', { token, json: { name: 'watcher', role: 'viewer' } })).json.token
    const other = await ipcClient()
    try {
      await signIn(other, backend, viewer, 'watcher')
      const view = value(await other.api.diag.connect({ vin: fleet.vehicles[1]!.spec.vin }))
      expect(await other.api.diag.request({ session: view.session, target: 0x1001, operation: { kind: 'raw', uds: '22 F1 90' } })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Role viewer may not diag.run; it needs admin or operator' }
      })
      expect(await other.api.diag.flash({ session: view.session, target: 0x1001, releaseId })).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'Role viewer may not diag.flash; it needs admin or operator' }
      })
    } finally {
      await other.close()
    }
  })
})
