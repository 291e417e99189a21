import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useT } from '../../i18n'
import { useSession } from '../../store/session'
import { FleetFilterBar } from './FleetFilterBar'
import { FleetHeader } from './FleetHeader'
import { FleetTable } from './FleetTable'
import { useFleet } from './fleet-store'
import { FleetSavedViews } from './SavedViews'
import { VehiclePage } from './VehiclePage'
import './fleet.css'

/** Why the table is empty, in words, and what to do about it. */
function EmptyState() {
  const t = useT()
  const { total, filtered, syncing, synced, clearFilters } = useFleet(
    useShallow((s) => ({
      total: s.total,
      filtered: Object.keys(s.query.filters).length > 0,
      syncing: s.sync?.state === 'syncing',
      synced: s.syncedAt !== null,
      clearFilters: s.clearFilters
    }))
  )
  if (total !== 0) return null
  if (filtered) {
    return (
      <p className="empty fleet-empty">
        {t('fleetNoMatch')}{' '}
        <button type="button" className="link" onClick={() => clearFilters()}>
          {t('fleetClearFilters')}
        </button>
      </p>
    )
  }
  return <p className="empty fleet-empty">{t(syncing ? 'fleetCopying' : synced ? 'fleetNoVehicles' : 'fleetNeverSynced')}</p>
}

/** The fleet: a table of every vehicle with search, filters, sorting and saved views; or one vehicle. */
export function FleetScreen() {
  const t = useT()
  const session = useSession((s) => s.status)
  const { vehicle, total, error, init } = useFleet(useShallow((s) => ({ vehicle: s.vehicle, total: s.total, error: s.error, init: s.init })))
  const profileId = session?.profileId
  useEffect(() => {
    if (profileId) void init()
  }, [profileId, init])

  if (!session || session.backend === 'none') {
    return (
      <section className="panel wide" aria-labelledby="fleet-heading">
        <h1 id="fleet-heading">{t('navFleet')}</h1>
        <p className="empty">{t('notConnected')}</p>
      </section>
    )
  }
  if (vehicle) return <VehiclePage />
  return (
    <section className="panel wide fleet" aria-labelledby="fleet-heading">
      <FleetHeader />
      <FleetFilterBar />
      <FleetSavedViews />
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      <p className="fleet-shown" aria-live="polite">
        {total === null ? t('loading') : t('fleetShown', { count: total })}
      </p>
      <FleetTable />
      <EmptyState />
    </section>
  )
}
