import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-dir'
import type { Db } from '../db/db'
import { migrateBackend } from '../db/migrate'
import { backendMigrations } from '../db/migrations'
import { openSqlite } from '../db/sqlite'
import { openPostgres } from '../db/postgres'
import { startPostgres, type RunningPostgres } from '../../../test/support/postgres'
import { createRegistry } from './registry'

// One suite, both engines: SQLite (the embedded default) and a throwaway PostgreSQL cluster.
describe.each(['sqlite', 'postgres'] as const)('the fleet registry on %s', (engine) => {
  const dir = tempDir('ota-registry')
  let db: Db
  let cluster: RunningPostgres | undefined
  let registry: ReturnType<typeof createRegistry>
  const vin = (i: number) => `REG${String(i).padStart(14, '0')}`

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
    db = cluster ? openPostgres(await cluster.database('registry')) : openSqlite(join(dir.dir, 'r.sqlite'))
    // Registered by a backend from before time zones, then upgraded.
    await migrateBackend(
      db,
      backendMigrations.filter((m) => m.version <= 10)
    )
    registry = createRegistry(db)
    for (let i = 0; i < 250; i++) {
      await db.run('INSERT INTO vehicles (vin, model, region, tags, online, last_seen, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        vin(i),
        i % 2 ? 'model_b' : 'model_a',
        i % 3 ? 'eu' : 'jp',
        JSON.stringify(i % 10 ? [] : ['pilot']),
        i % 4 ? 1 : 0,
        `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
        'x'
      ])
    }
    await migrateBackend(db)
    await registry.applyReport({
      vin: vin(0),
      model: 'model_a',
      gateway: { logicalAddress: 0xe00, hardware: 'gw', software: '1.0.0' },
      zonalGateways: [{ id: 'ZGW_01', logicalAddress: 0xe01, ecus: [{ id: 'ECU_001', logicalAddress: 0x1001, hardware: 'h', software: '1.0.0' }] }],
      at: new Date().toISOString()
    })
    await registry.applyReport({
      vin: vin(0),
      model: 'model_a',
      gateway: { logicalAddress: 0xe00, hardware: 'gw', software: '1.0.0' },
      zonalGateways: [{ id: 'ZGW_01', logicalAddress: 0xe01, ecus: [{ id: 'ECU_001', logicalAddress: 0x1001, hardware: 'h', software: '1.2.0' }] }],
      at: new Date().toISOString()
    })
  })
  afterAll(async () => {
    await db.close()
    await cluster?.stop()
    dir.remove()
  })

  const base = { sort: 'vin' as const, order: 'asc' as const, limit: 100 }

  it('gives the vehicles registered before time zones their region’s zone', async () => {
    expect(await registry.detail(vin(0))).toMatchObject({ region: 'jp', timeZone: 'Asia/Tokyo' })
    expect(await registry.detail(vin(1))).toMatchObject({ region: 'eu', timeZone: 'Europe/Berlin' })
    const page = await registry.query({ ...base, limit: 3 })
    expect(page.vehicles.map((v) => v.timeZone)).toEqual(['Asia/Tokyo', 'Europe/Berlin', 'Europe/Berlin'])
  })

  it('pages through every vehicle once with a cursor, in order', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await registry.query({ ...base, limit: 40, cursor })
      seen.push(...page.vehicles.map((v) => v.vin))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(seen).toHaveLength(250)
    expect(seen).toEqual([...seen].sort())
  })

  it('pages by a non-unique sort column without skipping or repeating', async () => {
    const seen: string[] = []
    let cursor: string | undefined
    do {
      const page = await registry.query({ ...base, sort: 'lastSeen', order: 'desc', limit: 7, cursor })
      seen.push(...page.vehicles.map((v) => v.vin))
      cursor = page.nextCursor ?? undefined
    } while (cursor)
    expect(new Set(seen).size).toBe(250)
  })

  it('filters by model, region, tag, online state, VIN prefix and ECU version', async () => {
    const count = async (q: object) => (await registry.query({ ...base, limit: 1000, ...q })).vehicles.length
    expect(await count({ model: 'model_a' })).toBe(125)
    expect(await count({ region: 'jp' })).toBe(84)
    expect(await count({ tag: 'pilot' })).toBe(25)
    expect(await count({ online: 'false' })).toBe(63)
    expect(await count({ q: 'reg0000000000001' })).toBe(10)
    expect(await count({ ecu: 'ECU_001', version: '1.2.0' })).toBe(1)
    expect(await count({ ecu: 'ECU_001', version: '1.0.0' })).toBe(0)
  })

  it('rejects a cursor it did not give out', async () => {
    await expect(registry.query({ ...base, cursor: 'garbage' })).rejects.toThrow('cursor is not one this API gave out')
  })

  it('keeps the version history of each ECU', async () => {
    const detail = await registry.detail(vin(0))
    expect(detail.versionHistory.filter((h) => h.ecu === 'ECU_001').map((h) => `${h.from}->${h.to}`)).toEqual(['1.0.0->1.2.0', 'null->1.0.0'])
    expect(detail.ecus).toEqual([{ id: 'ECU_001', logicalAddress: 0x1001, zonalGateway: 'ZGW_01', hardware: 'h', software: '1.2.0', serial: null }])
  })

  it('keeps a configuration snapshot for each change, newest first, even two within a millisecond; a repeat adds none', async () => {
    const report = (software: string, serial: string) => ({
      vin: vin(2),
      model: 'model_b',
      gateway: { logicalAddress: 0xe00, hardware: 'gw', software: '1.0.0', serial: 'SN-GW' },
      zonalGateways: [{ id: 'ZGW_01', logicalAddress: 0xe01, ecus: [{ id: 'ECU_001', logicalAddress: 0x1001, hardware: 'h', software, serial }] }],
      at: new Date().toISOString()
    })
    await Promise.all([registry.applyReport(report('1.0.0', 'SN-A')), registry.applyReport(report('1.0.0', 'SN-B'))])
    await registry.applyReport(report('1.0.0', 'SN-B'))
    const { snapshots } = await registry.vci(vin(2))
    expect(snapshots.map((s) => s.ecus.find((e) => e.ecu === 'ECU_001')!.serial)).toEqual(['SN-B', 'SN-A'])
    expect(snapshots[0]!.ecus).toEqual([
      { ecu: 'ECU_001', zone: 'ZGW_01', hardware: 'h', software: '1.0.0', serial: 'SN-B' },
      { ecu: 'GATEWAY', zone: '', hardware: 'gw', software: '1.0.0', serial: 'SN-GW' }
    ])
    await expect(registry.vci('NOPE0000000000000')).rejects.toThrow(/vehicle NOPE0000000000000 not found/)
  })

  it("keeps the gateway's hardware and software apart from its ECUs, with its history", async () => {
    const detail = await registry.detail(vin(0))
    expect(detail.gateway).toEqual({ logicalAddress: 0xe00, hardware: 'gw', software: '1.0.0' })
    expect(detail.versionHistory.filter((h) => h.ecu === 'GATEWAY').map((h) => `${h.from}->${h.to}`)).toEqual(['null->1.0.0'])
    expect((await registry.detail(vin(1))).gateway).toBeNull()
  })

  it("lists each vehicle's versions by ECU only when asked", async () => {
    const plain = await registry.query({ ...base, limit: 2 })
    expect(plain.vehicles[0]).not.toHaveProperty('versions')
    const page = await registry.query({ ...base, limit: 2, include: 'versions' })
    expect(page.vehicles.map((v) => v.versions)).toEqual([{ GATEWAY: '1.0.0', ECU_001: '1.2.0' }, {}])
  })
})
