import { STABLE } from '../../shared/fleet/catalog'
import type { VehiclePage, VehicleQuery, VehicleView } from '../../shared/fleet/registry'
import type { UpdateProgress, VersionReport } from '../../shared/protocol/messages'
import type { Db } from '../db/db'
import type { VciEcu, VciHistory } from '../../shared/fleet/release-sets'
import { decodeCursor, encodeCursor } from '../db/keyset'
import { badRequest, notFound } from '../http/errors'

interface VehicleRow {
  vin: string
  model: string
  region: string
  time_zone: string
  tags: string
  online: number
  last_seen: string | null
}

const toView = (r: VehicleRow): VehicleView => ({
  vin: r.vin,
  model: r.model,
  region: r.region,
  timeZone: r.time_zone,
  tags: JSON.parse(r.tags) as string[],
  online: Number(r.online) === 1,
  lastSeen: r.last_seen
})

const GATEWAY = 'GATEWAY'

const SORT_COLUMN = { vin: 'v.vin', lastSeen: "COALESCE(v.last_seen, '')", model: 'v.model', region: 'v.region' } as const

/** The report as a configuration: every ECU (the gateway too) with its zone, hardware, software and serial, by ECU id. */
const vciOf = (report: VersionReport): VciEcu[] =>
  [
    { ecu: GATEWAY, zone: '', hardware: report.gateway.hardware, software: report.gateway.software, serial: report.gateway.serial ?? null },
    ...report.zonalGateways.flatMap((z) => z.ecus.map((e) => ({ ecu: e.id, zone: z.id, hardware: e.hardware, software: e.software, serial: e.serial ?? null })))
  ].sort((a, b) => a.ecu.localeCompare(b.ecu))

/**
 * A report that repeats the configuration (each reconnect sends one) adds nothing to the history.
 * Two changes within one millisecond keep their order: the later is stamped a millisecond on.
 */
async function snapshotIfChanged(tx: Pick<Db, 'get' | 'run'>, vin: string, vci: VciEcu[], now: string) {
  const last = await tx.get<{ taken_at: string; ecus: string }>('SELECT taken_at, ecus FROM vci_snapshots WHERE vin = ? ORDER BY taken_at DESC LIMIT 1', [vin])
  const ecus = JSON.stringify(vci)
  if (last?.ecus === ecus) return
  const at = last && last.taken_at >= now ? new Date(Date.parse(last.taken_at) + 1).toISOString() : now
  await tx.run('INSERT INTO vci_snapshots (vin, taken_at, ecus) VALUES (?, ?, ?)', [vin, at, ecus])
}

/** Vehicles, their ECUs, version history and update history; queries that scale by index. */
export function createRegistry(db: Db) {
  const versionsOf = async (vins: string[]) => {
    const byVin = new Map<string, Record<string, string>>()
    if (!vins.length) return byVin
    const rows = await db.all<{ vin: string; ecu_id: string; software_version: string }>(
      `SELECT vin, ecu_id, software_version FROM ecus WHERE vin IN (${vins.map(() => '?').join(', ')})`,
      vins
    )
    for (const r of rows) {
      const versions = byVin.get(r.vin) ?? {}
      versions[r.ecu_id] = r.software_version
      byVin.set(r.vin, versions)
    }
    return byVin
  }

  return {
    async setOnline(vin: string, online: boolean) {
      await db.run('UPDATE vehicles SET online = ?, last_seen = ? WHERE vin = ?', [online ? 1 : 0, new Date().toISOString(), vin])
    },

    /** Applies a version report: ECUs upserted, each version change written to the history. */
    async applyReport(report: VersionReport) {
      await db.transaction(async (tx) => {
        const before = new Map(
          (await tx.all<{ ecu_id: string; software_version: string }>('SELECT ecu_id, software_version FROM ecus WHERE vin = ?', [report.vin])).map((r) => [
            r.ecu_id,
            r.software_version
          ])
        )
        const now = new Date().toISOString()
        // The gateway is kept as an ECU of its own, so its versions are filtered and tracked like the rest.
        const gateway = { id: GATEWAY, ...report.gateway }
        for (const zgw of [{ id: '', ecus: [gateway] }, ...report.zonalGateways]) {
          for (const ecu of zgw.ecus) {
            const previous = before.get(ecu.id)
            if (previous !== ecu.software) {
              await tx.run('INSERT INTO version_history (vin, ecu_id, from_version, to_version, at) VALUES (?, ?, ?, ?, ?)', [
                report.vin,
                ecu.id,
                previous ?? null,
                ecu.software,
                now
              ])
            }
            await tx.run(
              `INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version, serial) VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (vin, ecu_id) DO UPDATE SET logical_address = excluded.logical_address, zonal_gateway = excluded.zonal_gateway,
               hardware = excluded.hardware, software_version = excluded.software_version, serial = excluded.serial`,
              [report.vin, ecu.id, ecu.logicalAddress, zgw.id, ecu.hardware, ecu.software, ecu.serial ?? null]
            )
          }
        }
        await snapshotIfChanged(tx, report.vin, vciOf(report), now)
        await tx.run('UPDATE vehicles SET last_seen = ? WHERE vin = ?', [now, report.vin])
      })
    },

    async recordProgress(vin: string, p: UpdateProgress) {
      await db.run('INSERT INTO update_history (vin, release_id, ecu_id, version, step, percent, cause, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING', [
        vin,
        p.releaseId,
        p.ecu,
        p.version,
        p.step,
        Math.round(p.percent),
        p.cause ?? null,
        p.at
      ])
    },

    async query(q: VehicleQuery): Promise<VehiclePage> {
      const where: string[] = []
      const params: unknown[] = []
      const add = (clause: string, ...values: unknown[]) => (where.push(clause), params.push(...values))
      if (q.model) add('v.model = ?', q.model)
      if (q.region) add('v.region = ?', q.region)
      if (q.online) add('v.online = ?', q.online === 'true' ? 1 : 0)
      if (q.tag) add(`v.tags LIKE ?`, `%${JSON.stringify(q.tag)}%`)
      if (q.q) add('v.vin >= ? AND v.vin < ?', q.q.toUpperCase(), `${q.q.toUpperCase()}\uffff`)
      if (q.version && !q.ecu) throw badRequest('version filters by an ECU: give ecu too')
      if (q.ecu) {
        if (q.version) add('EXISTS (SELECT 1 FROM ecus e WHERE e.vin = v.vin AND e.ecu_id = ? AND e.software_version = ?)', q.ecu, q.version)
        else add('EXISTS (SELECT 1 FROM ecus e WHERE e.vin = v.vin AND e.ecu_id = ?)', q.ecu)
      }
      const col = SORT_COLUMN[q.sort]
      const cmp = q.order === 'asc' ? '>' : '<'
      if (q.cursor) {
        const [value, vin] = decodeCursor(q.cursor)
        add(`(${col} ${cmp} ? OR (${col} = ? AND v.vin ${cmp} ?))`, value, value, vin)
      }
      const rows = await db.all<VehicleRow & { sort_value: string }>(
        `SELECT v.vin, v.model, v.region, v.time_zone, v.tags, v.online, v.last_seen, ${col} AS sort_value FROM vehicles v
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY ${col} ${q.order}, v.vin ${q.order} LIMIT ?`,
        [...params, q.limit + 1]
      )
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)
      const versions = q.include === 'versions' ? await versionsOf(page.map((r) => r.vin)) : undefined
      return {
        vehicles: page.map((r) => (versions ? { ...toView(r), versions: versions.get(r.vin) ?? {} } : toView(r))),
        nextCursor: rows.length > q.limit && last ? encodeCursor(String(last.sort_value), last.vin) : null
      }
    },

    async detail(vin: string) {
      const row = await db.get<VehicleRow & { auth_refusal: string | null; auth_refused_at: string | null; channel: string | null }>(
        'SELECT vin, model, region, time_zone, tags, online, last_seen, auth_refusal, auth_refused_at, channel FROM vehicles WHERE vin = ?',
        [vin]
      )
      if (!row) throw notFound(`vehicle ${vin}`)
      const ecus = await db.all<{ ecu_id: string; logical_address: number; zonal_gateway: string; hardware: string; software_version: string; serial: string | null }>(
        'SELECT * FROM ecus WHERE vin = ? ORDER BY zonal_gateway, ecu_id',
        [vin]
      )
      const versions = await db.all<{ ecu_id: string; from_version: string | null; to_version: string; at: string }>(
        'SELECT * FROM version_history WHERE vin = ? ORDER BY at DESC LIMIT 200',
        [vin]
      )
      const updates = await db.all<{ release_id: string; ecu_id: string; version: string; step: string; percent: number; cause: string | null; at: string }>(
        'SELECT * FROM update_history WHERE vin = ? ORDER BY at DESC LIMIT 200',
        [vin]
      )
      const gateway = ecus.find((e) => e.ecu_id === GATEWAY)
      return {
        ...toView(row),
        gateway: gateway ? { logicalAddress: Number(gateway.logical_address), hardware: gateway.hardware, software: gateway.software_version } : null,
        ecus: ecus
          .filter((e) => e !== gateway)
          .map((e) => ({
            id: e.ecu_id,
            logicalAddress: Number(e.logical_address),
            zonalGateway: e.zonal_gateway,
            hardware: e.hardware,
            software: e.software_version,
            serial: e.serial
          })),
        versionHistory: versions.map((v) => ({ ecu: v.ecu_id, from: v.from_version, to: v.to_version, at: v.at })),
        updateHistory: updates.map((u) => ({ releaseId: u.release_id, ecu: u.ecu_id, version: u.version, step: u.step, percent: Number(u.percent), cause: u.cause, at: u.at })),
        lastRefusal: row.auth_refusal ? { reason: row.auth_refusal, at: row.auth_refused_at! } : null,
        channel: row.channel
      }
    },

    /** The vehicle's configuration over time, newest first: a snapshot for each change. */
    async vci(vin: string): Promise<VciHistory> {
      if (!(await db.get('SELECT 1 AS found FROM vehicles WHERE vin = ?', [vin]))) throw notFound(`vehicle ${vin}`)
      const rows = await db.all<{ taken_at: string; ecus: string }>('SELECT taken_at, ecus FROM vci_snapshots WHERE vin = ? ORDER BY taken_at DESC LIMIT 100', [vin])
      return { vin, snapshots: rows.map((r) => ({ at: r.taken_at, ecus: JSON.parse(r.ecus) as VciEcu[] })) }
    },

    /** The vehicle's model and configuration now (the ECUs table), to evaluate a release set against. */
    async currentVci(vin: string): Promise<{ model: string; ecus: VciEcu[] }> {
      const vehicle = await db.get<{ model: string }>('SELECT model FROM vehicles WHERE vin = ?', [vin])
      if (!vehicle) throw notFound(`vehicle ${vin}`)
      const rows = await db.all<{ ecu_id: string; zonal_gateway: string; hardware: string; software_version: string; serial: string | null }>(
        'SELECT ecu_id, zonal_gateway, hardware, software_version, serial FROM ecus WHERE vin = ? ORDER BY ecu_id',
        [vin]
      )
      return { model: vehicle.model, ecus: rows.map((r) => ({ ecu: r.ecu_id, zone: r.zonal_gateway, hardware: r.hardware, software: r.software_version, serial: r.serial })) }
    },

    /** Puts a vehicle on a release channel (null: none, stable only); answers its detail. */
    async setChannel(vin: string, channel: string | null) {
      const { changes } = await db.run('UPDATE vehicles SET channel = ? WHERE vin = ?', [channel === STABLE ? null : channel, vin])
      if (changes === 0) throw notFound(`vehicle ${vin}`)
    },

    async rollup() {
      const rows = await db.all<{ model: string; total: number; online: number }>('SELECT model, COUNT(*) AS total, SUM(online) AS online FROM vehicles GROUP BY model')
      const byModel = Object.fromEntries(rows.map((r) => [r.model, { total: Number(r.total), online: Number(r.online ?? 0) }]))
      return {
        total: rows.reduce((n, r) => n + Number(r.total), 0),
        online: rows.reduce((n, r) => n + Number(r.online ?? 0), 0),
        byModel,
        at: new Date().toISOString()
      }
    }
  }
}
export type Registry = ReturnType<typeof createRegistry>
