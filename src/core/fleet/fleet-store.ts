import type { Statement } from 'better-sqlite3'
import type { FleetFacets, FleetQuery, FleetRow } from '../../shared/calls/fleet'
import type { VehicleListItem } from '../../shared/fleet/registry'
import type { Db } from '../store/database'
import { orderedSelect } from './fleet-query'

interface RowRecord {
  id: number
  vin: string
  model: string
  region: string
  tags: string
  online: number
  last_seen: string
  versions: string
}

const toRow = (r: RowRecord): FleetRow => ({
  vin: r.vin,
  model: r.model,
  region: r.region,
  tags: JSON.parse(r.tags) as string[],
  online: r.online === 1,
  lastSeen: r.last_seen || null,
  versions: JSON.parse(r.versions) as Record<string, string>
})

const byCount = (a: { value: string; count: number }, b: { value: string; count: number }) => b.count - a.count || a.value.localeCompare(b.value)
const counted = (counts: Map<string, number>) => [...counts].map(([value, count]) => ({ value, count })).sort(byCount)
const bump = (counts: Map<string, number>, key: string, by: number) => counts.set(key, (counts.get(key) ?? 0) + by)

/**
 * The console's copy of each profile's fleet in SQLite. A sync writes every vehicle with the
 * sync's mark and, once complete, drops the vehicles it did not see; until then the table shows
 * the previous copy updated page by page, never an empty fleet.
 */
export function createFleetStore(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO fleet_vehicles (profile_id, vin, model, region, tags, online, last_seen, versions, sync_mark) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (profile_id, vin) DO UPDATE SET model = excluded.model, region = excluded.region, tags = excluded.tags, online = excluded.online,
     last_seen = excluded.last_seen, versions = excluded.versions, sync_mark = excluded.sync_mark`
  )
  const nextMark = db
    .prepare(
      `INSERT INTO fleet_sync (profile_id, mark, synced_at) VALUES (?, 1, NULL)
     ON CONFLICT (profile_id) DO UPDATE SET mark = mark + 1 RETURNING mark`
    )
    .pluck()
  const dropUnseen = db.prepare('DELETE FROM fleet_vehicles WHERE profile_id = ? AND sync_mark <> ?')
  const markSynced = db.prepare('UPDATE fleet_sync SET synced_at = ? WHERE profile_id = ? AND mark = ?')
  const selectSynced = db.prepare('SELECT synced_at FROM fleet_sync WHERE profile_id = ?').pluck()
  const selectRows = db.prepare('SELECT id, vin, model, region, tags, online, last_seen, versions FROM fleet_vehicles WHERE id IN (SELECT value FROM json_each(?))')
  const selectCounts = db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(online), 0) AS online FROM fleet_vehicles WHERE profile_id = ?')
  const counts = (profileId: string) => selectCounts.get(profileId) as { total: number; online: number }
  const groupedBy = (column: string) => db.prepare(`SELECT ${column} AS value, COUNT(*) AS count FROM fleet_vehicles WHERE profile_id = ? GROUP BY ${column}`)
  const facetQueries = { model: groupedBy('model'), region: groupedBy('region'), tags: groupedBy('tags'), versions: groupedBy('versions') }
  const ordered = new Map<string, Statement>()

  const writeMany = db.transaction((profileId: string, mark: number, vehicles: readonly VehicleListItem[]) => {
    for (const v of vehicles) {
      upsert.run(profileId, v.vin, v.model, v.region, JSON.stringify(v.tags), v.online ? 1 : 0, v.lastSeen ?? '', JSON.stringify(v.versions ?? {}), mark)
    }
  })
  const finish = db.transaction((profileId: string, mark: number, at: string) => {
    dropUnseen.run(profileId, mark)
    markSynced.run(at, profileId, mark)
  })

  return {
    /** Starts a sync: the mark its vehicles are written with. */
    beginSync: (profileId: string): number => nextMark.get(profileId) as number,
    writePage(profileId: string, mark: number, vehicles: readonly VehicleListItem[]) {
      writeMany(profileId, mark, vehicles)
    },
    /** The sync saw the whole fleet: vehicles it did not see are gone from the backend. */
    finishSync(profileId: string, mark: number, at: string) {
      finish(profileId, mark, at)
    },
    syncedAt: (profileId: string) => (selectSynced.get(profileId) as string | null | undefined) ?? null,

    /** Row ids of the query's vehicles, in its order. */
    orderedIds(profileId: string, query: FleetQuery): Int32Array {
      const { sql, params } = orderedSelect(profileId, query)
      let statement = ordered.get(sql)
      if (!statement) ordered.set(sql, (statement = db.prepare(sql).pluck()))
      return Int32Array.from(statement.all(...params) as number[])
    },

    /** The rows of these ids, in the ids' order. */
    rows(ids: Int32Array): FleetRow[] {
      if (ids.length === 0) return []
      const byId = new Map((selectRows.all(JSON.stringify(Array.from(ids))) as RowRecord[]).map((r) => [r.id, r]))
      return Array.from(ids, (id) => byId.get(id))
        .filter((r) => r !== undefined)
        .map(toRow)
    },

    counts,

    facets(profileId: string): FleetFacets {
      type Group = { value: string; count: number }
      const all = (q: Statement) => q.all(profileId) as Group[]
      const tags = new Map<string, number>()
      for (const g of all(facetQueries.tags)) for (const tag of JSON.parse(g.value) as string[]) bump(tags, tag, g.count)
      // Most vehicles share a few version sets, so grouping by the whole set first keeps this cheap.
      const ecus = new Map<string, Map<string, number>>()
      for (const g of all(facetQueries.versions)) {
        for (const [ecu, version] of Object.entries(JSON.parse(g.value) as Record<string, string>)) {
          if (!ecus.has(ecu)) ecus.set(ecu, new Map())
          bump(ecus.get(ecu)!, version, g.count)
        }
      }
      return {
        ...counts(profileId),
        models: all(facetQueries.model).sort(byCount),
        regions: all(facetQueries.region).sort(byCount),
        tags: counted(tags),
        ecus: [...ecus].sort(([a], [b]) => a.localeCompare(b)).map(([ecu, versions]) => ({ ecu, versions: counted(versions) }))
      }
    }
  }
}
export type FleetStore = ReturnType<typeof createFleetStore>
