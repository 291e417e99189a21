import { useEffect, useId, useState } from 'react'
import { useFormat, useT } from '../../i18n'
import { usePermission, useSession } from '../../store/session'
import { useBundles, type Incoming, type ResultsBack } from './bundles-store'
import './bundles.css'
import { useFields } from '../../store/fields'

const percent = (sent: number, size: number) => String(size ? Math.floor((sent * 100) / size) : 100)

/** Offline jobs on this console: register as a workshop, open and import bundles, carry results back. */
export function BundlesScreen() {
  const t = useT()
  const profileId = useSession((s) => s.status?.profileId ?? null)
  const { loadWorkshop, loadBundles } = useFields(useBundles, 'loadWorkshop', 'loadBundles')
  useEffect(() => void loadWorkshop(), [profileId, loadWorkshop])
  useEffect(() => void loadBundles(), [loadBundles])
  return (
    <section className="panel wide bdl-screen" aria-labelledby="bdl-heading">
      <h1 id="bdl-heading">{t('bdlTitle')}</h1>
      <p className="hint">{t('bdlIntro')}</p>
      <WorkshopPanel connected={profileId !== null} />
      <OpenBundle />
      <BundleList />
      <ResultsPanel />
    </section>
  )
}

function WorkshopPanel({ connected }: { connected: boolean }) {
  const t = useT()
  const perm = usePermission('workshop.register')
  const { workshop, workshopError, registering, register } = useFields(useBundles, 'workshop', 'workshopError', 'registering', 'register')
  const [name, setName] = useState('')
  const inputId = useId()
  const w = workshop?.workshop
  return (
    <section aria-labelledby="bdl-workshop">
      <h2 id="bdl-workshop">{t('bdlWorkshop')}</h2>
      {!connected && <p className="banner warning">{t('bdlWorkshopOffline')}</p>}
      {connected && w && workshop.backend && (
        <p role="status">
          {t('bdlWorkshopRegistered', {
            name: w.name,
            id: w.id,
            key: workshop.backend.keyid.slice(0, 12),
            origin: workshop.backend.origin,
            root: String(workshop.backend.rootVersion),
            at: workshop.pinnedAt ?? ''
          })}
        </p>
      )}
      {connected && !w && <p>{t('bdlWorkshopNone')}</p>}
      {connected && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault()
            if (name.trim()) void register(name.trim())
          }}
        >
          <label htmlFor={inputId}>{t('bdlWorkshopName')}</label>
          <input id={inputId} value={name} maxLength={100} placeholder={w?.name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary" disabled={!perm.allowed || registering || !name.trim()} title={perm.reason}>
            {registering ? t('bdlRegistering') : t('bdlRegister')}
          </button>
        </form>
      )}
      {workshopError && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {workshopError}
        </p>
      )}
    </section>
  )
}

function FileChooser({ label, disabled, onFile }: { label: string; disabled: boolean; onFile(file: File): void }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="file"
        disabled={disabled}
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) onFile(file)
        }}
      />
    </div>
  )
}

function Sending({ name, size, sent }: { name: string; size: number; sent: number }) {
  const t = useT()
  const label = t('bdlSending', { name, percent: percent(sent, size) })
  return (
    <div className="bdl-progress">
      <p>{label}</p>
      <progress max={size} value={sent} aria-label={label} />
    </div>
  )
}

function OpenBundle() {
  const t = useT()
  const { incoming, open, importOpened } = useFields(useBundles, 'incoming', 'open', 'importOpened')
  return (
    <section aria-labelledby="bdl-open">
      <h2 id="bdl-open">{t('bdlOpen')}</h2>
      <FileChooser label={t('bdlBundleFile')} disabled={incoming.phase === 'sending'} onFile={(f) => void open(f)} />
      <IncomingView incoming={incoming} onImport={() => void importOpened()} />
    </section>
  )
}

function IncomingView({ incoming, onImport }: { incoming: Incoming; onImport(): void }) {
  const t = useT()
  if (incoming.phase === 'idle') return null
  if (incoming.phase === 'sending') return <Sending {...incoming} />
  if (incoming.phase === 'failed') {
    return (
      <p role="alert" className="banner error">
        {t('bdlOpenFailed', { name: incoming.name, message: incoming.message })}
      </p>
    )
  }
  if (incoming.phase === 'imported') {
    return (
      <p role="status" className="banner ok">
        {t('bdlImported', { id: incoming.bundle.id, job: incoming.bundle.job.name })}
      </p>
    )
  }
  const { verdict } = incoming
  return (
    <>
      <p role={verdict.ok ? 'status' : 'alert'} className={`banner ${verdict.ok ? 'ok' : 'error'}`}>
        {verdict.message}
      </p>
      <ul className="bdl-checks" aria-label={t('bdlChecks', { name: incoming.name })}>
        {verdict.checks.map((c) => (
          <li key={c.check} className={c.ok ? 'ok' : 'failed'}>
            <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> <strong>{t(`check_${c.check}`)}</strong>: {c.ok ? t('bdlCheckPassed') : t('bdlCheckFailed')} — {c.detail}
          </li>
        ))}
      </ul>
      {verdict.ok && (
        <button type="button" className="primary" onClick={onImport}>
          {t('bdlImport')}
        </button>
      )}
    </>
  )
}

function BundleList() {
  const t = useT()
  const format = useFormat()
  const { bundles, loaded, listError, exportError, exportResults } = useFields(useBundles, 'bundles', 'loaded', 'listError', 'exportError', 'exportResults')
  return (
    <section aria-labelledby="bdl-list">
      <h2 id="bdl-list">{t('bdlList')}</h2>
      {listError && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {listError}
        </p>
      )}
      {exportError && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {exportError}
        </p>
      )}
      {loaded && bundles.length === 0 && !listError && <p className="empty">{t('bdlEmpty')}</p>}
      {bundles.length > 0 && (
        <table className="bdl-table">
          <caption className="bdl-sr">{t('bdlList')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('bdlJob')}</th>
              <th scope="col">{t('bdlBundle')}</th>
              <th scope="col">{t('bdlVehicles')}</th>
              <th scope="col">{t('bdlValidUntil')}</th>
              <th scope="col">{t('bdlResults')}</th>
              <th scope="col">
                <span className="bdl-sr">{t('bdlExportResults')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {bundles.map((b) => {
              const recorded = b.results.succeeded + b.results.failed
              return (
                <tr key={b.id}>
                  <th scope="row">{b.job.name}</th>
                  <td className="bdl-mono">{b.id}</td>
                  <td>{b.vehicles}</td>
                  <td>
                    {format.dateTime(b.expiresAt)} {b.expired && <span className="bdl-expired">{t('bdlExpired')}</span>}
                  </td>
                  <td>{t('bdlResultCounts', { succeeded: b.results.succeeded, failed: b.results.failed })}</td>
                  <td>
                    <button
                      type="button"
                      disabled={recorded === 0}
                      title={recorded === 0 ? t('bdlNoResults') : undefined}
                      aria-label={`${t('bdlExportResults')}: ${b.id}`}
                      onClick={() => void exportResults(b.id)}
                    >
                      {t('bdlExportResults')}
                    </button>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}

function ResultsPanel() {
  const t = useT()
  const perm = usePermission('offline.results')
  const { results, sendResults } = useFields(useBundles, 'results', 'sendResults')
  return (
    <section aria-labelledby="bdl-results">
      <h2 id="bdl-results">{t('bdlResultsBack')}</h2>
      <p className="hint">{t('bdlResultsHint')}</p>
      <div title={perm.reason}>
        <FileChooser label={t('bdlResultsFile')} disabled={!perm.allowed || results.phase === 'sending'} onFile={(f) => void sendResults(f)} />
      </div>
      <ResultsView results={results} />
    </section>
  )
}

function ResultsView({ results }: { results: ResultsBack }) {
  const t = useT()
  if (results.phase === 'idle') return null
  if (results.phase === 'sending') return <Sending {...results} />
  if (results.phase === 'failed') {
    return (
      <p role="alert" className="banner error">
        {t('errorPrefix')}: {results.message}
      </p>
    )
  }
  const { report } = results
  return (
    <div role="status">
      <p className={`banner ${report.refused.length ? 'warning' : 'ok'}`}>
        {t('bdlResultsReport', { id: report.bundleId, applied: report.applied, unchanged: report.unchanged, refused: report.refused.length })}
      </p>
      {report.refused.length > 0 && (
        <ul>
          {report.refused.map((r) => (
            <li key={`${r.vin}/${r.ecu}`}>{t('bdlRefused', r)}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
