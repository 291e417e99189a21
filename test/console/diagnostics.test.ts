import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import type { DiagRunProgress, DiagRunView, EcuAggregate } from '../../src/shared/calls/diagnostic-runs'
import type { EventName } from '../../src/shared/contract'
import { decodeUdsResponse, formatDtc, fromHex } from '../../src/shared/uds'
import { startFleet } from '../../src/vehicle/fleet'
import { ipcClient } from '../support/clients'
import { apiClient } from '../support/https-client'
import { signIn, value } from '../support/profiles'
import { tempDir } from '../support/temp-dir'

type Fleet = Awaited<ReturnType<typeof startFleet>>
type Client = Awaited<ReturnType<typeof ipcClient>>
/** code → status, for one ECU of one vehicle. */
type Dtcs = Map<string, number>

const READ_ALL_DTCS = fromHex('19 02 FF')

/** What one vehicle's simulated ECUs report right now, asked directly (not through the relay). */
async function simulatorDtcs(fleet: Fleet, vins: readonly string[]) {
  const out = new Map<string, Dtcs>()
  for (const vehicle of fleet.vehicles.filter((v) => vins.includes(v.spec.vin))) {
    for (const server of vehicle.diagnostics().servers) {
      const response = decodeUdsResponse((await server.request(READ_ALL_DTCS))!)
      if (response.service !== 'readDtcInformation' || response.report !== 0x02) throw new Error('unexpected simulator answer')
      out.set(`${vehicle.spec.vin}/${server.address}`, new Map(response.dtcs.map((d) => [formatDtc(d.dtc), d.status])))
    }
  }
  return out
}

/** Where the simulator puts each ECU: its id and zonal gateway by address. */
const placement = (fleet: Fleet, vin: string) => {
  const { config } = fleet.vehicles.find((v) => v.spec.vin === vin)!.spec
  return new Map([
    [config.gateway.logicalAddress, { ecu: 'GATEWAY', zonalGateway: '' }],
    ...config.zonalGateways.flatMap((z) => z.ecus.map((e) => [e.logicalAddress, { ecu: e.id, zonalGateway: z.id }] as const))
  ])
}

// Diagnostic runs over a real backend and 30 simulated vehicles answering through the MQTT relay:
// a DTC read of every ECU aggregated per zonal gateway and ECU and checked against what the
// simulated ECUs themselves report, an offline vehicle counted as that vehicle's error, a cancel
// mid-way, single requests decoded, and the history kept in SQLite and exported as CSV and JSON.
describe('diagnostic runs over the fleet', () => {
  const data = tempDir('ota-diagnostics')
  const consoleData = tempDir('ota-diagnostics-console')
  let backend: RunningBackend
  let fleet: Fleet
  let client: Client
  let token: string
  const progress: DiagRunProgress[] = []
  let offlineVin: string
  let onlineVins: string[]

  const open = async () => {
    const c = await ipcClient({ dataDir: consoleData.dir })
    c.core.subscribe((event: EventName, payload: unknown) => {
      if (event === 'diagnostics.progress') progress.push(payload as DiagRunProgress)
    })
    return c
  }
  const finished = async (runId: string) => {
    await expect.poll(async () => value(await client.api.diagnostics.run({ runId })).summary.state, { timeout: 60_000, interval: 50 }).not.toBe('running')
    // The last report goes out within a tenth of a second of the end.
    await expect.poll(() => progress.filter((p) => p.runId === runId).at(-1)?.state, { timeout: 1000, interval: 20 }).not.toBe('running')
    return value(await client.api.diagnostics.run({ runId }))
  }

  beforeAll(async () => {
    backend = await startBackend({ dataDir: data.dir, log: () => {} })
    token = backend.firstAdminToken!
    fleet = await startFleet({
      backendUrl: backend.url,
      mqttUrl: backend.mqttUrl,
      ca: backend.caCertPem,
      token,
      count: 30,
      models: ['model_a', 'model_b'],
      ecus: 6,
      failureRate: 0,
      offlineRate: 0,
      seed: 43,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    client = await open()
    await signIn(client, backend, token, 'Fleet')
    const parked = fleet.vehicles[7]!
    offlineVin = parked.spec.vin
    onlineVins = fleet.vehicles.filter((v) => v !== parked).map((v) => v.spec.vin)
    await parked.disconnect()
    const api = apiClient(backend.url, backend.caCertPem)
    for (let waited = 0; (await api.get(`/api/v1/vehicles/${offlineVin}`, { token })).json.online; waited += 50) {
      if (waited > 5000) throw new Error(`${offlineVin} still online in the registry`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }, 90_000)
  afterAll(async () => {
    await client?.close()
    await fleet?.stop()
    await backend?.close()
    data.remove()
    consoleData.remove()
  })

  it('reads the DTCs of every ECU of 30 vehicles: aggregated per zonal gateway and ECU as the simulator reports them, the offline vehicle an error with its reason', async () => {
    const vins = fleet.vehicles.map((v) => v.spec.vin)
    const before = await simulatorDtcs(fleet, onlineVins)
    const started = value(await client.api.diagnostics.start({ vins, ecus: 'all', operation: { kind: 'readDtcs', statusMask: 0xff } }))
    expect(started).toMatchObject({ state: 'running', vehicles: 30, vehiclesDone: 0 })
    const run = await finished(started.id)
    const after = await simulatorDtcs(fleet, onlineVins)

    expect(run.summary).toMatchObject({ state: 'completed', vehicles: 30, vehiclesDone: 30, vehiclesFailed: 1, positive: 29 * 7, negative: 0, errors: 0, message: null })
    const mine = progress.filter((p) => p.runId === started.id)
    expect(mine.at(-1)).toMatchObject({ state: 'completed', vehiclesDone: 30, vehiclesFailed: 1, answers: 29 * 7, etaSeconds: 0 })
    // At most ten reports a second.
    expect(mine.length).toBeLessThanOrEqual(Math.ceil((mine.at(-1)!.elapsedMs + 1) / 100) + 1)

    expect(run.vehicles.filter((v) => v.error)).toEqual([
      {
        vin: offlineVin,
        model: 'model_b',
        answers: 0,
        dtcs: 0,
        error: { code: 'TIMEOUT', message: expect.stringMatching(new RegExp(`^Vehicle ${offlineVin} is offline \\(last seen .+\\): nothing was sent to it\\.$`)) }
      }
    ])

    // Each DTC as the relay carried it is the simulator's, as it was just before or just after the run
    // (the simulated monitors run on their own clock: a status may change while the run goes on).
    const { answers } = value(await client.api.diagnostics.answers({ runId: started.id, limit: 1000 }))
    expect(answers).toHaveLength(29 * 7)
    const seen = new Map<string, Dtcs>()
    for (const a of answers) {
      const where = placement(fleet, a.vin).get(a.target!)!
      expect({ ecu: a.ecu, zonalGateway: a.zonalGateway }).toEqual(where)
      expect(a.decoded?.kind).toBe('positive')
      const dtcs: Dtcs = new Map((a.decoded as { dtcs: { code: string; status: number }[] }).dtcs.map((d) => [d.code, d.status]))
      const key = `${a.vin}/${a.target}`
      seen.set(key, dtcs)
      for (const code of new Set([...dtcs.keys(), ...before.get(key)!.keys(), ...after.get(key)!.keys()])) {
        expect([before.get(key)!.get(code) ?? 0, after.get(key)!.get(code) ?? 0]).toContain(dtcs.get(code) ?? 0)
      }
    }

    // The aggregation, per zonal gateway and ECU, within what the simulator reported before and after.
    const expected = new Map<string, { asked: number; low: number; high: number; exact: number }>()
    for (const [key, dtcs] of seen) {
      const [vin, address] = key.split('/')
      const where = placement(fleet, vin!).get(Number(address))!
      const group = expected.get(`${where.zonalGateway}/${where.ecu}`) ?? { asked: 0, low: 0, high: 0, exact: 0 }
      expected.set(`${where.zonalGateway}/${where.ecu}`, group)
      group.asked++
      group.low += Math.min(before.get(key)!.size, after.get(key)!.size)
      group.high += Math.max(before.get(key)!.size, after.get(key)!.size)
      group.exact += dtcs.size
    }
    expect(run.byEcu.map((g) => `${g.zonalGateway}/${g.ecu}`)).toEqual([
      '/GATEWAY',
      'ZGW_01/ECU_001',
      'ZGW_01/ECU_003',
      'ZGW_01/ECU_005',
      'ZGW_02/ECU_002',
      'ZGW_02/ECU_004',
      'ZGW_02/ECU_006'
    ])
    for (const g of run.byEcu) {
      const want = expected.get(`${g.zonalGateway}/${g.ecu}`)!
      expect(g).toMatchObject<Partial<EcuAggregate>>({ asked: 29, positive: 29, negative: 0, errors: 0, dtcs: want.exact })
      expect(g.dtcs).toBeGreaterThanOrEqual(want.low)
      expect(g.dtcs).toBeLessThanOrEqual(want.high)
      expect(g.withDtcs).toBeLessThanOrEqual(29)
    }

    // The most frequent DTC codes: counted over every ECU that reported them, most first.
    const counts = new Map<string, { count: number; ecus: Set<string> }>()
    for (const [key, dtcs] of seen) {
      const ecu = placement(fleet, key.split('/')[0]!).get(Number(key.split('/')[1]))!.ecu
      for (const code of dtcs.keys()) {
        const c = counts.get(code) ?? { count: 0, ecus: new Set() }
        counts.set(code, c)
        c.count++
        c.ecus.add(ecu)
      }
    }
    const ranked = [...counts].sort(([a, x], [b, y]) => y.count - x.count || a.localeCompare(b)).slice(0, 10)
    expect(run.topDtcs).toEqual(ranked.map(([code, c]) => ({ code, count: c.count, ecus: [...c.ecus].sort() })))
    expect(run.topDtcs).toHaveLength(10)
  }, 90_000)

  it('sends one request: F190 of a gateway decoded, a raw request answered with its NRC by name, an ECU the vehicle lacks named', async () => {
    const vin = onlineVins[0]!
    const read = value(await client.api.diagnostics.start({ vins: [vin], ecus: ['GATEWAY'], operation: { kind: 'readDids', dids: ['f190'] } }))
    expect(read.operation).toEqual({ kind: 'readDids', dids: ['F190'] })
    await finished(read.id)
    expect(value(await client.api.diagnostics.answers({ runId: read.id })).answers).toMatchObject([
      { vin, ecu: 'GATEWAY', target: 0x0e00, request: '22F190', error: null, decoded: { kind: 'positive', dids: [{ did: 'F190', name: 'VIN', value: vin }] } }
    ])

    const raw = value(await client.api.diagnostics.start({ vins: [vin], ecus: ['ECU_001', 'ECU_009'], operation: { kind: 'raw', uds: '22 12 34' } }))
    const view = await finished(raw.id)
    expect(view.summary).toMatchObject({ state: 'completed', positive: 0, negative: 1, errors: 1 })
    expect(value(await client.api.diagnostics.answers({ runId: raw.id })).answers).toMatchObject([
      { ecu: 'ECU_009', target: null, decoded: null, error: { code: 'NOT_FOUND', message: `${vin} has no ECU_009 in the registry.` } },
      { ecu: 'ECU_001', target: 0x1001, request: '221234', response: '7F2231', decoded: { kind: 'negative', nrc: 0x31, name: 'requestOutOfRange' } }
    ])
    expect(await client.api.diagnostics.start({ vins: [vin, vin], ecus: 'all', operation: { kind: 'raw', uds: '3E00' } })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: expect.stringContaining('a VIN is listed twice') }
    })
  })

  it('cancels a run mid-way: vehicles in flight and not reached are left out, the run says canceled', async () => {
    const run = value(await client.api.diagnostics.start({ vins: onlineVins, ecus: 'all', operation: { kind: 'readDids', dids: ['F195'] } }))
    value(await client.api.diagnostics.cancel({ runId: run.id }))
    const view = await finished(run.id)
    expect(view.summary.state).toBe('canceled')
    expect(view.summary.vehiclesDone).toBeLessThan(onlineVins.length)
    expect(view.vehicles).toHaveLength(view.summary.vehiclesDone)
    expect(view.vehicles.every((v) => v.answers === 7 && v.error === null)).toBe(true)
    expect(await client.api.diagnostics.cancel({ runId: run.id })).toEqual({ ok: false, error: { code: 'CONFLICT', message: `Diagnostic run ${run.id} is not running any more.` } })
  })

  it('keeps the history in SQLite across a restart and exports a run as CSV and JSON', async () => {
    const before = value(await client.api.diagnostics.runs({})).runs
    expect(before.map((r) => r.state)).toEqual(['canceled', 'completed', 'completed', 'completed'])
    const batch = before[3]!
    await client.close()
    client = await open()
    const runs = value(await client.api.diagnostics.runs({})).runs
    expect(runs).toEqual(before)

    const csv = value(await client.api.diagnostics.export({ runId: batch.id, format: 'csv' }))
    expect(csv).toMatchObject({ name: `diagnostics-${batch.id}.csv`, mime: 'text/csv;charset=utf-8' })
    expect(csv.content.startsWith('\uFEFFvin,model,zonal_gateway,ecu,address,request,outcome,summary,dtcs,nrc,error,elapsed_ms,time_utc\r\n')).toBe(true)
    const lines = csv.content.slice(1).split('\r\n').slice(1, -1)
    expect(lines).toHaveLength(29 * 7 + 1)
    const view: DiagRunView = value(await client.api.diagnostics.run({ runId: batch.id }))
    const { answers } = value(await client.api.diagnostics.answers({ runId: batch.id, limit: 1000 }))
    const first = answers[0]!
    const firstDtcs = (first.decoded as { dtcs: { code: string; status: number }[] }).dtcs
    const model = view.vehicles.find((v) => v.vin === first.vin)!.model
    expect(lines[0]).toBe(
      [
        first.vin,
        model,
        first.zonalGateway,
        first.ecu,
        `0x${first.target!.toString(16).toUpperCase().padStart(4, '0')}`,
        '1902FF',
        'positive',
        `${firstDtcs.length} DTCs`,
        firstDtcs.map((d) => `${d.code} ${d.status.toString(16).toUpperCase().padStart(2, '0')}`).join('; '),
        '',
        '',
        String(Math.round(first.elapsedMs)),
        first.at
      ].join(',')
    )
    expect(lines.at(-1)).toMatch(new RegExp(`^${offlineVin},model_b,,,,,vehicle error,,,,Vehicle ${offlineVin} is offline \\(last seen .+\\): nothing was sent to it\\.,,$`))

    const json = value(await client.api.diagnostics.export({ runId: batch.id, format: 'json' }))
    expect(json.name).toBe(`diagnostics-${batch.id}.json`)
    const parsed = JSON.parse(json.content)
    expect(parsed.summary).toEqual(view.summary)
    expect(parsed.byEcu).toEqual(view.byEcu)
    expect(parsed.topDtcs).toEqual(view.topDtcs)
    expect(parsed.answers).toEqual(answers)

    value(await client.api.diagnostics.delete({ runId: before[0]!.id }))
    expect(value(await client.api.diagnostics.runs({})).runs.map((r) => r.id)).toEqual(before.slice(1).map((r) => r.id))
    expect(await client.api.diagnostics.run({ runId: before[0]!.id })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: `No diagnostic run ${before[0]!.id} in this profile's history.` }
    })
  })
})
