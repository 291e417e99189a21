import { useEffect, useId, useState } from 'react'
import { diffVci, type VciChange, type VciSnapshot } from '../../../../shared/fleet/release-sets'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { ota } from '../../ota'

const CHANGE_KEY: Record<VciChange['change'], MessageKey> = { added: 'vciAdded', removed: 'vciRemoved', changed: 'vciChanged' }
const FIELD_KEY: Record<VciChange['fields'][number]['field'], MessageKey> = { zone: 'vciZone', hardware: 'vciHardware', software: 'vciSoftware', serial: 'vciSerial' }

/**
 * The vehicle's configuration (VCI) over time: each snapshot the backend kept when something
 * changed, and what differs between two of them, ECU by ECU and field by field.
 */
export function VehicleConfiguration({ vin }: { vin: string }) {
  const t = useT()
  const format = useFormat()
  const ids = { from: useId(), to: useId() }
  const [snapshots, setSnapshots] = useState<VciSnapshot[]>()
  const [error, setError] = useState<string>()
  const [range, setRange] = useState<{ from: string; to: string }>()

  // Bumped by "retry": the effect asks again.
  const [attempt, setAttempt] = useState(0)
  useEffect(() => {
    let current = true
    void ota.fleet.vci({ vin }).then((r) => {
      if (!current) return
      if (!r.ok) return setError(r.error.message)
      setError(undefined)
      setSnapshots(r.value.snapshots)
      const [newest, previous] = r.value.snapshots
      setRange(newest ? { from: (previous ?? newest).at, to: newest.at } : undefined)
    })
    return () => {
      current = false
    }
  }, [vin, attempt])

  const at = (when: string) => snapshots?.find((s) => s.at === when)
  const before = range && at(range.from)
  const after = range && at(range.to)
  const changes = before && after ? diffVci(before.ecus, after.ecus) : []

  return (
    <section aria-labelledby="fleet-vci-heading" className="fleet-vci">
      <h2 id="fleet-vci-heading">{t('vciTitle')}</h2>
      <p className="hint">{t('vciHint')}</p>
      {error && (
        <p role="alert" className="banner error">
          {error}{' '}
          <button type="button" className="link" onClick={() => setAttempt((n) => n + 1)}>
            {t('retryNow')}
          </button>
        </p>
      )}
      {!snapshots && !error && <p role="status">{t('loading')}</p>}
      {snapshots?.length === 0 && <p>{t('vciEmpty')}</p>}
      {snapshots && snapshots.length > 0 && range && (
        <>
          <p>{t('vciCount', { n: snapshots.length })}</p>
          <div className="row">
            {(['from', 'to'] as const).map((end) => (
              <div className="field" key={end}>
                <label htmlFor={ids[end]}>{t(end === 'from' ? 'vciFrom' : 'vciTo')}</label>
                <select id={ids[end]} value={range[end]} onChange={(e) => setRange({ ...range, [end]: e.target.value })}>
                  {snapshots.map((s) => (
                    <option key={s.at} value={s.at}>
                      {format.dateTime(s.at)}
                    </option>
                  ))}
                </select>
              </div>
            ))}
          </div>
          {changes.length === 0 ? (
            <p role="status">{t('vciNoDifference')}</p>
          ) : (
            <table aria-label={t('vciDiffTable')}>
              <thead>
                <tr>
                  <th scope="col">{t('vciEcu')}</th>
                  <th scope="col">{t('vciChange')}</th>
                  <th scope="col">{t('vciField')}</th>
                  <th scope="col">{t('vciBefore')}</th>
                  <th scope="col">{t('vciAfter')}</th>
                </tr>
              </thead>
              <tbody>
                {changes.flatMap((c) =>
                  c.fields.map((f, i) => (
                    <tr key={`${c.ecu}/${f.field}`}>
                      {i === 0 && (
                        <th scope="rowgroup" rowSpan={c.fields.length}>
                          {c.ecu}
                        </th>
                      )}
                      {i === 0 && <td rowSpan={c.fields.length}>{t(CHANGE_KEY[c.change])}</td>}
                      <td>{t(FIELD_KEY[f.field])}</td>
                      <td>{f.before || '—'}</td>
                      <td>{f.after || '—'}</td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  )
}
