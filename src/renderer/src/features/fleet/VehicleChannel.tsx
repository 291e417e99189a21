import { useId, useState, type FormEvent } from 'react'
import { STABLE } from '../../../../shared/fleet/catalog'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { usePermission } from '../../store/session'
import { useFleet } from './fleet-store'

/** The release channel a vehicle is on, and the form that moves it (beta testers, a pilot fleet). */
export function VehicleChannel({ vin, channel }: { vin: string; channel: string | null }) {
  const t = useT()
  const perm = usePermission('vehicle.register')
  const id = useId()
  const listId = useId()
  const [value, setValue] = useState(channel ?? STABLE)
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  const save = async (e: FormEvent) => {
    e.preventDefault()
    const wanted = value.trim()
    setBusy(true)
    const r = await ota.fleet.setChannel({ vin, channel: !wanted || wanted === STABLE ? null : wanted })
    setBusy(false)
    if (!r.ok) return setError(r.error.message)
    setError(undefined)
    // The page shows the vehicle as the backend answered, channel and all.
    if (useFleet.getState().vehicle?.vin === vin) useFleet.setState({ vehicle: { vin, data: r.value } })
  }

  return (
    <form className="fleet-channel row" aria-label={t('fleetChannelTitle')} onSubmit={(e) => void save(e)}>
      <p>
        {t('fleetChannelNow', { channel: channel ?? STABLE })} <span className="hint">{t('fleetChannelHint')}</span>
      </p>
      <div className="field">
        <label htmlFor={id}>{t('fleetChannel')}</label>
        <input id={id} list={listId} value={value} spellCheck={false} disabled={!perm.allowed} onChange={(e) => setValue(e.target.value)} />
        <datalist id={listId}>
          <option value={STABLE} />
          <option value="beta" />
        </datalist>
      </div>
      <button type="submit" disabled={!perm.allowed || busy || value.trim() === (channel ?? STABLE)} title={perm.reason}>
        {t('fleetChannelSave')}
      </button>
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
    </form>
  )
}
