import type { FleetQuery } from '../../shared/calls/fleet'
import { queryKey } from './fleet-query'
import type { FleetStore } from './fleet-store'

/** How many filtered, sorted orders are kept: the current one and a few the user went back to. */
const KEPT = 4

/**
 * The fleet in a query's order as row ids (400 KB at 100,000 vehicles), computed once per query
 * and kept until the copy changes: each window is then a slice plus a lookup of its rows, and
 * costs the same at row 99,000 as at row 0, where OFFSET would scan everything before it.
 */
export function createWindowIndex(store: Pick<FleetStore, 'orderedIds'>) {
  const kept = new Map<string, Int32Array>()
  return {
    ids(profileId: string, query: FleetQuery): Int32Array {
      const key = queryKey(profileId, query)
      let ids = kept.get(key)
      if (ids) kept.delete(key)
      else ids = store.orderedIds(profileId, query)
      kept.set(key, ids)
      if (kept.size > KEPT) kept.delete(kept.keys().next().value!)
      return ids
    },
    /** The copy changed: every kept order may be wrong. */
    forget() {
      kept.clear()
    }
  }
}
