import { useEffect, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { FleetFacets } from '../../../../shared/calls/fleet'
import { useT } from '../../i18n'
import { useFleet } from './fleet-store'

/** How long typing pauses before the search applies. */
const SEARCH_PAUSE_MS = 250

const options = (values: FleetFacets['models'] | undefined) =>
  (values ?? []).map((f) => (
    <option key={f.value} value={f.value}>
      {`${f.value} (${f.count})`}
    </option>
  ))

/** Search by VIN prefix and the filters, each a list of the values the fleet has, with counts. */
export function FleetFilterBar() {
  const t = useT()
  const { filters, facets, setFilters, clearFilters } = useFleet(
    useShallow((s) => ({ filters: s.query.filters, facets: s.facets, setFilters: s.setFilters, clearFilters: s.clearFilters }))
  )
  const [search, setSearch] = useState(filters.q ?? '')
  // A view applied or filters cleared elsewhere: the box shows the search in force.
  const [inForce, setInForce] = useState(filters.q)
  if (inForce !== filters.q) {
    setInForce(filters.q)
    setSearch(filters.q ?? '')
  }
  useEffect(() => {
    const q = search.trim()
    if (q === (filters.q ?? '')) return
    const timer = setTimeout(() => setFilters({ q: q || undefined }), SEARCH_PAUSE_MS)
    return () => clearTimeout(timer)
  }, [search, filters.q, setFilters])

  const versions = facets?.ecus.find((e) => e.ecu === filters.ecu)?.versions
  const online = filters.online === undefined ? '' : filters.online ? 'online' : 'offline'
  return (
    <div className="fleet-filters" role="search" aria-label={t('fleetFilters')}>
      <div className="field fleet-search">
        <label htmlFor="fleet-q">{t('fleetSearch')}</label>
        <input
          id="fleet-q"
          type="search"
          value={search}
          maxLength={17}
          placeholder={t('fleetSearchHint')}
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => setSearch(e.target.value.toUpperCase())}
        />
      </div>
      <div className="field">
        <label htmlFor="fleet-model">{t('fleetColModel')}</label>
        <select id="fleet-model" value={filters.model ?? ''} onChange={(e) => setFilters({ model: e.target.value || undefined })}>
          <option value="">{t('fleetAny')}</option>
          {options(facets?.models)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="fleet-region">{t('fleetColRegion')}</label>
        <select id="fleet-region" value={filters.region ?? ''} onChange={(e) => setFilters({ region: e.target.value || undefined })}>
          <option value="">{t('fleetAny')}</option>
          {options(facets?.regions)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="fleet-tag">{t('fleetTag')}</label>
        <select id="fleet-tag" value={filters.tag ?? ''} onChange={(e) => setFilters({ tag: e.target.value || undefined })}>
          <option value="">{t('fleetAny')}</option>
          {options(facets?.tags)}
        </select>
      </div>
      <div className="field">
        <label htmlFor="fleet-online">{t('fleetColStatus')}</label>
        <select id="fleet-online" value={online} onChange={(e) => setFilters({ online: e.target.value ? e.target.value === 'online' : undefined })}>
          <option value="">{t('fleetAny')}</option>
          <option value="online">{t('fleetOnline')}</option>
          <option value="offline">{t('fleetOffline')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="fleet-ecu">{t('fleetEcu')}</label>
        <select id="fleet-ecu" value={filters.ecu ?? ''} onChange={(e) => setFilters({ ecu: e.target.value || undefined, version: undefined })}>
          <option value="">{t('fleetAny')}</option>
          {facets?.ecus.map((e) => (
            <option key={e.ecu} value={e.ecu}>
              {e.ecu}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="fleet-version">{t('fleetVersion')}</label>
        <select
          id="fleet-version"
          value={filters.version ?? ''}
          disabled={!filters.ecu}
          title={filters.ecu ? undefined : t('fleetVersionNeedsEcu')}
          onChange={(e) => setFilters({ version: e.target.value || undefined })}
        >
          <option value="">{t('fleetAny')}</option>
          {options(versions)}
        </select>
      </div>
      <button type="button" className="fleet-clear" disabled={Object.keys(filters).length === 0} onClick={() => clearFilters()}>
        {t('fleetClearFilters')}
      </button>
    </div>
  )
}
