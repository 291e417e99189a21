import { useEffect } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { useT } from '../../i18n'
import { usePermission, useSession } from '../../store/session'
import { useDiagnostics } from './diagnostics-store'
import { HistoryPanel } from './HistoryPanel'
import { problemText } from './operation-text'
import { RunPanel } from './RunPanel'
import { ServiceFields } from './ServiceFields'
import { EcuPicker, VehiclePicker } from './VehiclePicker'
import './diagnostics.css'

/** Remote diagnostics over the fleet: vehicles, ECUs and a service; send; results decoded; history. */
export function DiagnosticsScreen() {
  const t = useT()
  const profileId = useSession((s) => s.status?.profileId ?? null)
  const perm = usePermission('diag.run')
  const d = useDiagnostics(
    useShallow((s) => ({ init: s.init, vins: s.vins, service: s.service, setService: s.setService, send: s.send, starting: s.starting, problem: s.startProblem }))
  )
  const { init } = d
  useEffect(() => void init(profileId), [profileId, init])
  return (
    <section className="panel wide dx-screen" aria-labelledby="dx-heading">
      <h1 id="dx-heading">{t('dxTitle')}</h1>
      <p className="hint">{t('dxIntro')}</p>
      {profileId === null && <p className="banner warning">{t('dxNoProfile')}</p>}
      <VehiclePicker />
      <EcuPicker />
      <fieldset className="dx-fieldset">
        <legend>{t('dxWhatToSend')}</legend>
        <ServiceFields value={d.service} onChange={d.setService} />
      </fieldset>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!perm.allowed || d.starting || d.vins.length === 0}
          title={perm.reason ?? (d.vins.length === 0 ? t('dxNoVehicles') : undefined)}
          onClick={() => void d.send()}
        >
          {d.starting ? t('dxSending') : t('dxSend')}
        </button>
        <span className="hint">{d.vins.length > 0 && t('dxSendsTo', { count: d.vins.length })}</span>
      </div>
      {d.problem && (
        <p role="alert" className="banner error">
          {problemText(t, d.problem)}
        </p>
      )}
      <RunPanel />
      <HistoryPanel />
    </section>
  )
}
