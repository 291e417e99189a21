import { useEffect } from 'react'
import { AUDIT_EXPORT_MAX_ROWS } from '../../../../shared/calls/audit'
import { useT } from '../../i18n'
import { useAsker, usePermission } from '../../store/session'
import { AuditFilterBar } from './AuditFilterBar'
import { AuditTable } from './AuditTable'
import { hasFilters, rangeInverted, toFilters } from './audit-filters'
import { useAudit, type ExportState } from './audit-store'
import './audit.css'
import { useFields } from '../../store/fields'

/** Typing settles for this long before the log is asked again. */
const DEBOUNCE_MS = 300

export function AuditScreen() {
  const t = useT()
  const perm = usePermission('audit.read')
  const { session, signedIn } = useAsker()
  const { form, entries, nextCursor, loaded, loading, loadingMore, shownFor, error, exporting, load, loadMore, loadActions, exportCsv } = useFields(
    useAudit,
    'form',
    'entries',
    'nextCursor',
    'loaded',
    'loading',
    'loadingMore',
    'shownFor',
    'error',
    'exporting',
    'load',
    'loadMore',
    'loadActions',
    'exportCsv'
  )
  const filtersKey = JSON.stringify(toFilters(form))
  const inverted = rangeInverted(form)
  // Until the log answers the filters as they now are, what is shown is marked as out of date.
  const busy = !inverted && (loading || (loaded && shownFor !== filtersKey))

  useEffect(() => {
    if (signedIn) void loadActions()
  }, [signedIn, loadActions])
  useEffect(() => {
    if (!signedIn || inverted) return
    const timer = setTimeout(() => void load(), DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [signedIn, filtersKey, inverted, load])

  const count = entries.length
  return (
    <section className="panel wide audit" aria-labelledby="audit-heading">
      <div className="audit-head">
        <h1 id="audit-heading">{t('auditTitle')}</h1>
        <div className="actions">
          <button type="button" disabled={!perm.allowed || loading} title={perm.reason} onClick={() => void load()}>
            {t('refresh')}
          </button>
          <button type="button" className="primary" disabled={!perm.allowed || inverted || exporting.state === 'running'} title={perm.reason} onClick={() => void exportCsv()}>
            {t('auditExport')}
          </button>
        </div>
      </div>
      <p className="hint">{t('auditIntro')}</p>
      {session === 'none' && <p className="banner warning">{t('notConnected')}</p>}
      <AuditFilterBar disabled={!signedIn} />
      <ExportStatus exporting={exporting} />
      {error && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {error}
        </p>
      )}
      {signedIn && !loaded && <p role="status">{t('loading')}</p>}
      {loaded && !busy && entries.length === 0 && !error && !inverted && <p className="empty">{hasFilters(form) ? t('auditNoMatch') : t('auditEmpty')}</p>}
      {entries.length > 0 && (
        <>
          <AuditTable entries={entries} busy={busy} />
          <div className="audit-foot">
            <p role="status" aria-live="polite">
              {busy ? t('loading') : nextCursor === null ? t('auditShowingAll', { count }) : t('auditShowing', { count })}
            </p>
            {nextCursor !== null && !busy && (
              <button type="button" disabled={loadingMore} onClick={() => void loadMore()}>
                {loadingMore ? t('loading') : t('auditLoadMore')}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  )
}

function ExportStatus({ exporting }: { exporting: ExportState }) {
  const t = useT()
  if (exporting.state === 'idle') return null
  if (exporting.state === 'failed') {
    return (
      <p role="alert" className="banner error">
        {t('auditExportFailed', { message: exporting.message })}
      </p>
    )
  }
  return (
    <div role="status" aria-live="polite" className="audit-export">
      {exporting.state === 'running' ? (
        <p className="banner">{t('auditExporting', { rows: exporting.rows })}</p>
      ) : (
        <>
          <p className="banner ok">{t('auditExported', { rows: exporting.rows, file: exporting.fileName })}</p>
          {exporting.capped && <p className="banner warning">{t('auditExportCapped', { max: AUDIT_EXPORT_MAX_ROWS })}</p>}
        </>
      )}
    </div>
  )
}
