import { FleetQuery, type FleetFacets, type FleetSyncStatus, type VehiclePageData } from '../../shared/calls/fleet'
import type { SessionStatus } from '../../shared/calls/session'
import { OtaError } from '../../shared/errors'
import { VehicleDetail } from '../../shared/fleet/registry'
import type { FleetRollup } from '../../shared/protocol/messages'
import type { BackendCache } from '../backend/backend-cache'
import { requireProfile, type FeatureDeps, type HandlersOf } from '../feature'
import { createFleetStore } from './fleet-store'
import { syncFleet } from './fleet-sync'
import { createSavedViews } from '../store/saved-views'
import { createWindowIndex } from './window-index'

/** A live count that disagrees with the copy starts a sync, at most this often (or ten syncs' time). */
export const RESYNC_GAP_MS = 30_000

interface Progress {
  profileId: string
  state: FleetSyncStatus['state']
  fetched: number
  expected: number | null
  message: string | null
}

/**
 * The fleet screen's data: a copy of the active profile's fleet in SQLite, synced from the
 * backend when the session connects, on demand, and when live counts show it has drifted;
 * windows of it filtered and sorted for a virtualized table; saved views; a vehicle's detail.
 */
export function createFleetFeature(deps: FeatureDeps & { cache: BackendCache; profileId(): string | null }) {
  const { hub, cache } = deps
  const store = createFleetStore(deps.db)
  const views = createSavedViews(deps.db, 'fleet_views', FleetQuery)
  const index = createWindowIndex(store)
  let facets: { profileId: string; value: FleetFacets } | undefined
  const progress = new Map<string, Progress>()
  let running: { profileId: string; done: Promise<FleetSyncStatus>; abort: AbortController } | undefined
  let backendOk = false
  /** The session knows the backend cannot be reached (or refuses us): the copy may be behind. */
  let backendLost = false
  let lastSync = { endedAt: 0, ms: 0 }

  const activeProfile = requireProfile(deps.profileId)
  const copyChanged = () => {
    index.forget()
    facets = undefined
  }
  const status = (): FleetSyncStatus => {
    const profileId = deps.profileId()
    const mine = profileId ? progress.get(profileId) : undefined
    return {
      profileId,
      state: mine?.state ?? 'idle',
      fetched: mine?.fetched ?? 0,
      expected: mine?.expected ?? null,
      syncedAt: profileId ? store.syncedAt(profileId) : null,
      stale: backendLost || mine?.state === 'failed',
      message: mine?.message ?? null
    }
  }
  const report = (patch: Partial<Progress> & { profileId: string }) => {
    progress.set(patch.profileId, { state: 'syncing', fetched: 0, expected: null, message: null, ...progress.get(patch.profileId), ...patch })
    hub.emit('fleet.changed', status())
  }

  async function runSync(profileId: string, abort: AbortController): Promise<FleetSyncStatus> {
    const started = Date.now()
    report({ profileId, state: 'syncing', fetched: 0, expected: null, message: null })
    try {
      const client = await deps.backend.client()
      await syncFleet({
        client,
        store,
        profileId,
        signal: abort.signal,
        onProgress: (fetched, expected) => {
          copyChanged()
          report({ profileId, fetched, expected })
        }
      })
      copyChanged()
      report({ profileId, state: 'idle' })
    } catch (err) {
      deps.observed(err)
      if (!(err instanceof OtaError && err.code === 'CANCELED')) deps.log(`fleet sync: ${(err as Error).message}`)
      report({ profileId, state: 'failed', message: (err as Error).message })
    } finally {
      lastSync = { endedAt: Date.now(), ms: Date.now() - started }
      if (running?.abort === abort) running = undefined
    }
    return status()
  }

  const sync = (): Promise<FleetSyncStatus> => {
    const profileId = activeProfile()
    if (running?.profileId === profileId) return running.done
    running?.abort.abort()
    const abort = new AbortController()
    const done = runSync(profileId, abort)
    running = { profileId, done, abort }
    return done
  }
  const syncInBackground = () => void sync().catch(() => {})

  const onSession = (s: SessionStatus) => {
    const active = deps.profileId()
    if (running && running.profileId !== active) running.abort.abort()
    // A late word about a profile that is no longer the active one: the session speaks again.
    if (s.profileId !== active) return
    const ok = s.backend === 'ok'
    const lost = s.backend === 'unreachable' || s.backend === 'auth-rejected'
    const connected = ok && !backendOk
    backendOk = ok
    if (lost !== backendLost) {
      backendLost = lost
      hub.emit('fleet.changed', status())
    }
    if (connected) syncInBackground()
  }
  const onSummary = (summary: FleetRollup) => {
    const profileId = deps.profileId()
    if (!profileId || running || !backendOk) return
    const { total, online } = store.counts(profileId)
    const drifted = total !== summary.total || online !== summary.online
    if (drifted && Date.now() - lastSync.endedAt >= Math.max(RESYNC_GAP_MS, 10 * lastSync.ms)) syncInBackground()
  }
  const unsubscribe = hub.subscribe((event, payload) => {
    if (event === 'session.changed') onSession(payload as SessionStatus)
    else if (event === 'fleet.summary') onSummary(payload as FleetRollup)
  })

  const vehicle = async (vin: string): Promise<VehiclePageData> => {
    const profileId = activeProfile()
    const key = `vehicle:${vin}`
    try {
      const detail = await (await deps.backend.client()).vehicles.get({ vin })
      const fetchedAt = new Date().toISOString()
      cache.put(profileId, key, detail, fetchedAt)
      return { vehicle: detail, stale: false, fetchedAt }
    } catch (err) {
      deps.observed(err)
      const hit = err instanceof OtaError && err.code === 'BACKEND_UNREACHABLE' ? cache.get(VehicleDetail, profileId, key) : undefined
      if (hit) return { vehicle: hit.value, stale: true, fetchedAt: hit.fetchedAt }
      throw err
    }
  }

  const handlers: HandlersOf<'fleet'> = {
    'fleet.status': status,
    'fleet.sync': sync,
    'fleet.window': ({ offset, limit, ...query }) => {
      const profileId = activeProfile()
      const ids = index.ids(profileId, query)
      const { syncedAt, stale } = status()
      return { total: ids.length, offset, rows: store.rows(ids.subarray(offset, offset + limit)), syncedAt, stale }
    },
    'fleet.facets': () => {
      const profileId = activeProfile()
      if (facets?.profileId !== profileId) facets = { profileId, value: store.facets(profileId) }
      return facets.value
    },
    'fleet.vehicle': ({ vin }) => vehicle(vin),
    'fleet.evidence': async ({ vin }) => (await deps.backend.client()).vehicles.evidence({ vin }),
    'fleet.vci': async ({ vin }) => (await deps.backend.client()).vehicles.vci({ vin }),
    'fleet.setChannel': async ({ vin, channel }) => {
      await (await deps.backend.client()).vehicles.setChannel({ vin }, { channel })
      return vehicle(vin)
    },
    'fleet.views': () => ({ views: views.list(activeProfile()) }),
    'fleet.saveView': ({ name, query }) => views.save(activeProfile(), name, query),
    'fleet.deleteView': ({ id }) => views.delete(activeProfile(), id)
  }

  return {
    handlers,
    /** Stops a running sync and waits for it, so nothing writes to the store after it closes. */
    async close() {
      unsubscribe()
      running?.abort.abort()
      await running?.done
    }
  }
}
