import { useId, useState } from 'react'
import type { AddVehiclesResult, JobView } from '../../../../shared/fleet/jobs'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { usePermission } from '../../store/session'
import { useJobs } from './jobs-store'

const vinsIn = (text: string) => [
  ...new Set(
    text
      .toUpperCase()
      .split(/[\s,;]+/)
      .filter(Boolean)
  )
]

/** Adds vehicles to a job that has not ended, in its current wave; says which it left out and why. */
export function AddVehicles({ job, ended }: { job: JobView; ended: boolean }) {
  const t = useT()
  const perm = usePermission('job.control')
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<AddVehiclesResult>()
  const [error, setError] = useState<string>()
  const id = useId()
  const vins = vinsIn(text)

  const add = async () => {
    setBusy(true)
    setError(undefined)
    setResult(undefined)
    const r = await ota.jobs.addVehicles({ id: job.id, vins })
    setBusy(false)
    if (!r.ok) return setError(r.error.message)
    setResult(r.value)
    setText('')
    void useJobs.getState().refreshJob(job.id)
  }

  return (
    <details className="add-vehicles">
      <summary>{t('addVehicles')}</summary>
      <div className="field">
        <label htmlFor={id}>{t('addVehiclesVins')}</label>
        <textarea id={id} rows={3} value={text} onChange={(e) => setText(e.target.value)} aria-describedby={`${id}-hint`} />
        <span id={`${id}-hint`} className="hint">
          {t('addVehiclesHint', { wave: job.currentWave + 1 })}
        </span>
      </div>
      <button type="button" disabled={!perm.allowed || ended || busy || vins.length === 0} title={perm.reason} onClick={() => void add()}>
        {t('addVehiclesButton', { n: vins.length })}
      </button>
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {result && (
        <div role="status" className="add-result">
          <p>{t('addVehiclesResult', { added: result.added.length, skipped: result.skipped.length })}</p>
          {result.skipped.length > 0 && (
            <ul aria-label={t('addVehiclesSkipped')}>
              {result.skipped.map((s) => (
                <li key={s.vin}>
                  <span className="mono">{s.vin}</span>: {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </details>
  )
}
