import { useId } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { MAX_RUN_VEHICLES } from '../../../../shared/calls/diagnostic-runs'
import type { FleetFacets } from '../../../../shared/calls/fleet'
import { useT } from '../../i18n'
import { useDiagnostics } from './diagnostics-store'
import { problemText } from './operation-text'

/** VINs shown after choosing; the rest are counted. */
const SHOWN_VINS = 6

const options = (values: FleetFacets['models'] | undefined) =>
  (values ?? []).map((f) => (
    <option key={f.value} value={f.value}>
      {`${f.value} (${f.count})`}
    </option>
  ))

/** Vehicles from the fleet copy by model, region and state (up to a number), or pasted VINs. */
export function VehiclePicker() {
  const t = useT()
  const id = useId()
  const s = useDiagnostics(
    useShallow((d) => ({
      mode: d.mode,
      filter: d.filter,
      pasted: d.pasted,
      vins: d.vins,
      picking: d.picking,
      problem: d.pickProblem,
      facets: d.facets,
      setMode: d.setMode,
      setFilter: d.setFilter,
      setPasted: d.setPasted,
      pickByFilter: d.pickByFilter,
      pickPasted: d.pickPasted
    }))
  )
  return (
    <fieldset className="dx-fieldset">
      <legend>{t('dxVehicles')}</legend>
      <div className="dx-radios" role="radiogroup" aria-label={t('dxPickHow')}>
        <label>
          <input type="radio" name={`${id}-mode`} checked={s.mode === 'filter'} onChange={() => s.setMode('filter')} /> {t('dxPickByFilter')}
        </label>
        <label>
          <input type="radio" name={`${id}-mode`} checked={s.mode === 'paste'} onChange={() => s.setMode('paste')} /> {t('dxPickPaste')}
        </label>
      </div>
      {s.mode === 'filter' ? (
        <div className="row dx-filter">
          <div className="field">
            <label htmlFor={`${id}-model`}>{t('dxModel')}</label>
            <select id={`${id}-model`} value={s.filter.model} onChange={(e) => s.setFilter({ model: e.target.value })}>
              <option value="">{t('dxAny')}</option>
              {options(s.facets?.models)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-region`}>{t('dxRegion')}</label>
            <select id={`${id}-region`} value={s.filter.region} onChange={(e) => s.setFilter({ region: e.target.value })}>
              <option value="">{t('dxAny')}</option>
              {options(s.facets?.regions)}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-limit`}>{t('dxAtMost')}</label>
            <input id={`${id}-limit`} type="number" min={1} max={MAX_RUN_VEHICLES} value={s.filter.limit} onChange={(e) => s.setFilter({ limit: Number(e.target.value) })} />
          </div>
          <label className="inline dx-online">
            <input type="checkbox" checked={s.filter.onlineOnly} onChange={(e) => s.setFilter({ onlineOnly: e.target.checked })} /> {t('dxOnlineOnly')}
          </label>
          <button type="button" onClick={() => void s.pickByFilter()} disabled={s.picking}>
            {s.picking ? t('dxPicking') : t('dxPick')}
          </button>
        </div>
      ) : (
        <div className="dx-paste">
          <div className="field">
            <label htmlFor={`${id}-vins`}>{t('dxVinsField')}</label>
            <textarea id={`${id}-vins`} rows={4} value={s.pasted} spellCheck={false} onChange={(e) => s.setPasted(e.target.value)} />
          </div>
          <button type="button" onClick={s.pickPasted}>
            {t('dxUseVins')}
          </button>
        </div>
      )}
      <p role="status" className="dx-chosen">
        {s.vins.length === 0
          ? t('dxNoVehicles')
          : t('dxChosen', { count: s.vins.length, vins: s.vins.slice(0, SHOWN_VINS).join(', ') + (s.vins.length > SHOWN_VINS ? ` … +${s.vins.length - SHOWN_VINS}` : '') })}
      </p>
      {s.problem && (
        <p role="alert" className="banner error">
          {problemText(t, s.problem)}
        </p>
      )}
    </fieldset>
  )
}

/** Every ECU of each vehicle, or the ones ticked (the fleet's ECU ids, the gateway first). */
export function EcuPicker() {
  const t = useT()
  const { ecus, setEcus, facets } = useDiagnostics(useShallow((d) => ({ ecus: d.ecus, setEcus: d.setEcus, facets: d.facets })))
  const known = (facets?.ecus ?? []).map((e) => e.ecu).sort((a, b) => (a === 'GATEWAY' ? -1 : b === 'GATEWAY' ? 1 : a.localeCompare(b)))
  const some = ecus === 'all' ? [] : ecus
  const toggle = (ecu: string, on: boolean) => {
    const next = on ? [...some, ecu] : some.filter((e) => e !== ecu)
    setEcus(next.length === 0 ? 'all' : next)
  }
  return (
    <fieldset className="dx-fieldset">
      <legend>{t('dxEcus')}</legend>
      <label className="inline">
        <input type="checkbox" checked={ecus === 'all'} disabled={ecus === 'all'} onChange={() => setEcus('all')} /> {t('dxAllEcus')}
      </label>
      <p className="hint">{t('dxEcusHint')}</p>
      {known.length === 0 ? (
        <p className="empty">{t('dxNoEcusKnown')}</p>
      ) : (
        <ul className="dx-ecus" aria-label={t('dxTheseEcus')}>
          {known.map((ecu) => (
            <li key={ecu}>
              <label>
                <input type="checkbox" checked={some.includes(ecu)} onChange={(e) => toggle(ecu, e.target.checked)} /> {ecu}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  )
}
