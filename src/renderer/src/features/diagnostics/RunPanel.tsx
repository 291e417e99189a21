import { useShallow } from 'zustand/react/shallow'
import type { DiagRunAnswer, DiagRunView } from '../../../../shared/calls/diagnostic-runs'
import { hexAddress } from '../../../../shared/uds-client'
import { useFormat, useT } from '../../i18n'
import { BarList } from '../campaigns/charts'
import { AnswerView } from './AnswerView'
import { useDiagnostics } from './diagnostics-store'
import { ecusText, operationText } from './operation-text'

/** Runs with at most this many answers show each one opened. */
const OPEN_ANSWERS = 10

const seconds = (ms: number) => (ms / 1000).toFixed(1)

/** The run on screen: its progress, the aggregation of a DTC read with its chart, and each answer decoded. */
export function RunPanel() {
  const t = useT()
  const format = useFormat()
  const { current, cancel, moreAnswers, exportRun, exportError } = useDiagnostics(
    useShallow((d) => ({ current: d.current, cancel: d.cancel, moreAnswers: d.moreAnswers, exportRun: d.exportRun, exportError: d.exportError }))
  )
  if (!current) return null
  const { view, progress } = current
  const summary = view?.summary
  const state = progress?.state ?? summary?.state ?? 'running'
  const total = progress?.vehicles ?? summary?.vehicles ?? 0
  const done = progress?.vehiclesDone ?? summary?.vehiclesDone ?? 0
  const failed = progress?.vehiclesFailed ?? summary?.vehiclesFailed ?? 0
  return (
    <section className="dx-run" aria-labelledby="dx-run-heading">
      <h2 id="dx-run-heading">{t('dxResult')}</h2>
      {summary && (
        <p className="hint">
          {operationText(t, summary.operation)} · {ecusText(t, summary.ecus)} · {t('dxStartedAt', { at: format.dateTime(summary.startedAt) })}
        </p>
      )}
      {state === 'running' ? (
        <div className="dx-progress">
          <progress max={Math.max(1, total)} value={done} aria-label={t('dxRunProgress')} />
          <p role="status">
            {t('dxProgress', { done: done, total: total, failed: failed })}
            {progress?.etaSeconds != null && ` · ${t('dxEta', { seconds: Math.ceil(progress.etaSeconds) })}`}
          </p>
          <button type="button" className="danger" onClick={() => void cancel()}>
            {t('dxCancelRun')}
          </button>
        </div>
      ) : (
        summary && <RunOutcome view={view!} />
      )}
      {current.error && (
        <p role="alert" className="banner error">
          {current.error}
        </p>
      )}
      {summary && state !== 'running' && (
        <div className="actions">
          <button type="button" onClick={() => void exportRun(summary.id, 'csv')}>
            {t('dxExportCsv')}
          </button>
          <button type="button" onClick={() => void exportRun(summary.id, 'json')}>
            {t('dxExportJson')}
          </button>
        </div>
      )}
      {exportError && (
        <p role="alert" className="banner error">
          {exportError}
        </p>
      )}
      {view && view.byEcu.length > 0 && <EcuAggregation view={view} />}
      {view && <Unreached view={view} />}
      {current.answers.length > 0 && <Answers answers={current.answers} total={current.answersTotal} onMore={() => void moreAnswers()} />}
    </section>
  )
}

function RunOutcome({ view }: { view: DiagRunView }) {
  const t = useT()
  const s = view.summary
  const took = s.finishedAt ? seconds(Date.parse(s.finishedAt) - Date.parse(s.startedAt)) : '?'
  const counts = { vehicles: s.vehiclesDone, total: s.vehicles, positive: s.positive, negative: s.negative, errors: s.errors, failed: s.vehiclesFailed, seconds: took }
  if (s.state === 'failed' || s.state === 'interrupted') {
    return (
      <p role="alert" className="banner error">
        {t(s.state === 'failed' ? 'dxRunFailed' : 'dxRunInterrupted', { message: s.message ?? '' })}
      </p>
    )
  }
  return (
    <p role="status" className={`banner ${s.state === 'completed' ? 'ok' : 'warning'}`}>
      {t(s.state === 'completed' ? 'dxRunCompleted' : 'dxRunCanceled', counts)}
    </p>
  )
}

/** Per zonal gateway and ECU: how the ECUs answered and, for a DTC read, what they reported, with the most frequent DTCs. */
function EcuAggregation({ view }: { view: DiagRunView }) {
  const t = useT()
  const dtcs = view.summary.operation.kind === 'readDtcs'
  const title = dtcs ? t('dxByEcu') : t('dxPerEcu')
  return (
    <div className="dx-aggregation">
      <h3>{title}</h3>
      <div className="dx-table-wrap">
        <table className="dx-table" aria-label={title}>
          <thead>
            <tr>
              <th scope="col">{t('dxZone')}</th>
              <th scope="col">{t('dxEcu')}</th>
              <th scope="col">{t('dxAsked')}</th>
              <th scope="col">{t('dxAnswered')}</th>
              <th scope="col">{t('dxRefusedCol')}</th>
              <th scope="col">{t('dxNoAnswerCol')}</th>
              {dtcs && (
                <>
                  <th scope="col">{t('dxWithDtcs')}</th>
                  <th scope="col">{t('dxDtcCount')}</th>
                  <th scope="col">{t('dxConfirmed')}</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {view.byEcu.map((g) => (
              <tr key={`${g.zonalGateway}/${g.ecu}`}>
                <td>{g.zonalGateway || t('dxCentral')}</td>
                <th scope="row">{g.ecu}</th>
                <td>{g.asked}</td>
                <td>{g.positive}</td>
                <td>{g.negative}</td>
                <td>{g.errors}</td>
                {dtcs && (
                  <>
                    <td>{g.withDtcs}</td>
                    <td>{g.dtcs}</td>
                    <td>{g.confirmed}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {dtcs && (
        <>
          <h3>{t('dxTopDtcs')}</h3>
          {view.topDtcs.length === 0 ? (
            <p className="empty">{t('dxNoDtcsReported')}</p>
          ) : (
            <BarList label={t('dxTopDtcs')} bars={view.topDtcs.map((d) => ({ label: `${d.code} (${d.ecus.join(', ')})`, value: d.count, tone: 'bad' }))} />
          )}
        </>
      )}
    </div>
  )
}

function Unreached({ view }: { view: DiagRunView }) {
  const t = useT()
  const failed = view.vehicles.filter((v) => v.error)
  if (failed.length === 0) return null
  return (
    <div>
      <h3>{t('dxUnreached', { count: failed.length })}</h3>
      <table className="dx-table" aria-label={t('dxUnreachedTable')}>
        <thead>
          <tr>
            <th scope="col">{t('dxVin')}</th>
            <th scope="col">{t('dxReason')}</th>
          </tr>
        </thead>
        <tbody>
          {failed.map((v) => (
            <tr key={v.vin}>
              <td>
                <code>{v.vin}</code>
              </td>
              <td>{v.error!.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function answerLine(a: DiagRunAnswer, t: ReturnType<typeof useT>) {
  if (a.error || !a.decoded) return t('dxNoAnswerShort')
  switch (a.decoded.kind) {
    case 'positive':
      return a.decoded.summary
    case 'negative':
      return `${a.decoded.name} (NRC ${a.decoded.nrc.toString(16).toUpperCase().padStart(2, '0')})`
    case 'none':
      return t('dxSuppressedShort')
    case 'undecoded':
      return t('dxUndecodedShort')
  }
}

function Answers({ answers, total, onMore }: { answers: DiagRunAnswer[]; total: number; onMore(): void }) {
  const t = useT()
  return (
    <section className="dx-answers" aria-labelledby="dx-answers-heading">
      <h3 id="dx-answers-heading">{t('dxAnswers', { shown: answers.length, total: total })}</h3>
      <ul aria-label={t('dxAnswersList')}>
        {answers.map((a, i) => (
          <li key={i}>
            <details open={total <= OPEN_ANSWERS}>
              <summary>
                <code>{a.vin}</code> · {a.ecu}
                {a.target !== null && ` (${hexAddress(a.target)})`}: {answerLine(a, t)}
              </summary>
              <AnswerView decoded={a.decoded} error={a.error} response={a.response} />
            </details>
          </li>
        ))}
      </ul>
      {answers.length < total && (
        <button type="button" onClick={onMore}>
          {t('dxMoreAnswers')}
        </button>
      )}
    </section>
  )
}
