import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { DiagRunSummary } from '../../../../shared/calls/diagnostic-runs'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useFormat, useT } from '../../i18n'
import { useDiagnostics } from './diagnostics-store'
import { ecusText, operationText } from './operation-text'

/** The active profile's runs, newest first: open one again, export it, or remove it. */
export function HistoryPanel() {
  const t = useT()
  const format = useFormat()
  const { history, loaded, error, open, exportRun, deleteRun } = useDiagnostics(
    useShallow((d) => ({ history: d.history, loaded: d.historyLoaded, error: d.historyError, open: d.open, exportRun: d.exportRun, deleteRun: d.deleteRun }))
  )
  const [deleting, setDeleting] = useState<DiagRunSummary | null>(null)
  const outcome = (r: DiagRunSummary) => t(`dxState_${r.state}`, { positive: r.positive, negative: r.negative, errors: r.errors, failed: r.vehiclesFailed })
  return (
    <section aria-labelledby="dx-history-heading">
      <h2 id="dx-history-heading">{t('dxHistory')}</h2>
      {error && (
        <p role="alert" className="banner error">
          {error}
        </p>
      )}
      {loaded && history.length === 0 && !error && <p className="empty">{t('dxHistoryEmpty')}</p>}
      {history.length > 0 && (
        <div className="dx-table-wrap">
          <table className="dx-table" aria-label={t('dxHistory')}>
            <thead>
              <tr>
                <th scope="col">{t('dxWhen')}</th>
                <th scope="col">{t('dxService')}</th>
                <th scope="col">{t('dxEcus')}</th>
                <th scope="col">{t('dxVehicles')}</th>
                <th scope="col">{t('dxOutcome')}</th>
                <th scope="col">{t('dxActions')}</th>
              </tr>
            </thead>
            <tbody>
              {history.map((r) => {
                const when = format.dateTime(r.startedAt)
                return (
                  <tr key={r.id}>
                    <td>
                      <time dateTime={r.startedAt}>{when}</time>
                    </td>
                    <td>{operationText(t, r.operation)}</td>
                    <td>{ecusText(t, r.ecus)}</td>
                    <td>{r.vehicles}</td>
                    <td>{outcome(r)}</td>
                    <td className="dx-row-actions">
                      <button type="button" className="link" aria-label={t('dxOpenRun', { when })} onClick={() => void open(r.id)}>
                        {t('dxOpen')}
                      </button>
                      <button type="button" className="link" aria-label={t('dxExportCsvOf', { when })} disabled={r.state === 'running'} onClick={() => void exportRun(r.id, 'csv')}>
                        CSV
                      </button>
                      <button
                        type="button"
                        className="link"
                        aria-label={t('dxExportJsonOf', { when })}
                        disabled={r.state === 'running'}
                        onClick={() => void exportRun(r.id, 'json')}
                      >
                        JSON
                      </button>
                      <button type="button" className="link" aria-label={t('dxDeleteRun', { when })} disabled={r.state === 'running'} onClick={() => setDeleting(r)}>
                        {t('dxDelete')}
                      </button>
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {deleting && (
        <ConfirmDialog
          message={t('dxDeleteConfirm', { what: operationText(t, deleting.operation), when: format.dateTime(deleting.startedAt) })}
          confirmLabel={t('dxDelete')}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            void deleteRun(deleting.id)
            setDeleting(null)
          }}
        />
      )}
    </section>
  )
}
