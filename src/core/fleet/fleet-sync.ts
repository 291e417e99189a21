import { pages } from '../../shared/http/client'
import type { BackendClient } from '../backend/backend-client'
import type { FleetStore } from './fleet-store'

/** The API's largest page. */
export const SYNC_PAGE = 1000

interface SyncRun {
  client: BackendClient
  store: FleetStore
  profileId: string
  signal: AbortSignal
  /** After each page: vehicles fetched so far, of the fleet's size when the sync began. */
  onProgress(fetched: number, expected: number): void
}

/**
 * Copies a profile's whole fleet, versions included, by walking the backend's VIN-ordered
 * cursor pages; each page is written as it arrives, so the table fills while the sync runs.
 */
export async function syncFleet({ client, store, profileId, signal, onProgress }: SyncRun): Promise<{ fetched: number; at: string }> {
  const at = new Date().toISOString()
  const { total } = await client.vehicles.summary({ signal })
  const mark = store.beginSync(profileId)
  let fetched = 0
  onProgress(0, total)
  for await (const page of pages(client.vehicles.list, { limit: SYNC_PAGE, include: 'versions' as const }, { signal })) {
    store.writePage(profileId, mark, page.vehicles)
    fetched += page.vehicles.length
    onProgress(fetched, Math.max(total, fetched))
  }
  store.finishSync(profileId, mark, at)
  return { fetched, at }
}
