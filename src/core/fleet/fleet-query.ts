import type { FleetFilters, FleetQuery, FleetSort } from '../../shared/calls/fleet'

const SORT_COLUMN: Record<FleetSort, string> = { vin: 'vin', model: 'model', region: 'region', online: 'online', lastSeen: 'last_seen' }

/**
 * The SQL that selects a profile's vehicles in a query's order. Tags and versions are kept as
 * JSON text, so a tag or an ECU's version is found as its exact JSON fragment (`"pilot"`,
 * `"ECU_007":"1.0.0"`): one scan of the profile's rows, no table per ECU to keep in step.
 */
export function orderedSelect(profileId: string, { filters, sort, order }: FleetQuery): { sql: string; params: unknown[] } {
  const { clauses, params } = whereOf(filters)
  const column = SORT_COLUMN[sort]
  return {
    sql: `SELECT id FROM fleet_vehicles WHERE ${['profile_id = ?', ...clauses].join(' AND ')} ORDER BY ${column} ${order}, vin ${order}`,
    params: [profileId, ...params]
  }
}

function whereOf(f: FleetFilters) {
  const clauses: string[] = []
  const params: unknown[] = []
  const add = (clause: string, ...values: unknown[]) => (clauses.push(clause), params.push(...values))
  if (f.q) add('vin >= ? AND vin < ?', f.q, `${f.q}\uffff`)
  if (f.model) add('model = ?', f.model)
  if (f.region) add('region = ?', f.region)
  if (f.online !== undefined) add('online = ?', f.online ? 1 : 0)
  if (f.tag) add('instr(tags, ?) > 0', JSON.stringify(f.tag))
  if (f.ecu) add('instr(versions, ?) > 0', `${JSON.stringify(f.ecu)}:${f.version ? JSON.stringify(f.version) : ''}`)
  return { clauses, params }
}

/** A stable key for a query, whatever order its filters were written in. */
export const queryKey = (profileId: string, { filters, sort, order }: FleetQuery) =>
  JSON.stringify([
    profileId,
    sort,
    order,
    Object.entries(filters)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b))
  ])
