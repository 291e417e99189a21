import { useEffect, useId, useRef, useState } from 'react'
import { ENDED_JOB_STATES, ExecutionState, TERMINAL_STATES, type ExecutionPage, type JobView } from '../../../../shared/fleet/jobs'
import type { ExecutionSteps } from '../../../../shared/calls/campaigns'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { ota } from '../../ota'
import { usePermission } from '../../store/session'
import { AddVehicles } from './AddVehicles'
import { JobApproval } from './JobApproval'
import { BarList, StackedBar, TimelineChart } from './charts'
import { useJobs } from './jobs-store'
import { causeText, etaWords, grouped, STATE_GROUPS, TONE, total, type StateGroup } from './job-states'
import { specInWords } from './spec-words'
import { useFields } from '../../store/fields'

const GROUP_ORDER: StateGroup[] = ['succeeded', 'failed', 'inFlight', 'queued', 'other']

export function JobDashboard({ job }: { job: JobView }) {
  const t = useT()
  const format = useFormat()
  const { live, timelines, control, busy, error, open, installDownloaded } = useFields(useJobs, 'live', 'timelines', 'control', 'busy', 'error', 'open', 'installDownloaded')
  const perm = usePermission('job.control')
  const createPerm = usePermission('job.create')
  const [confirmInstall, setConfirmInstall] = useState(false)
  const rollup = live[job.id]
  const groups = grouped(job.counts)
  const all = total(job.counts)
  const ended = ENDED_JOB_STATES.includes(job.state)
  const eta = etaWords(rollup?.etaSeconds)
  const points = timelines[job.id] ?? []
  const causes = Object.entries(job.failureCauses).sort((a, b) => b[1] - a[1])
  const groupLabel = (g: StateGroup) => t(`group_${g}`)
  const stateLabel = (s: string) => (ExecutionState.safeParse(s).success ? t(`exec_${s}` as MessageKey) : s)

  const button = (action: 'pause' | 'resume' | 'cancel' | 'retry-failed', label: MessageKey, enabled: boolean, className?: string) => (
    <button
      type="button"
      className={className}
      disabled={!perm.allowed || !enabled || busy}
      title={perm.allowed ? undefined : perm.reason}
      onClick={() => void control(job.id, action)}
    >
      {t(label)}
    </button>
  )

  return (
    <section className="panel wide job-dashboard" aria-labelledby="job-title">
      <button type="button" className="link" onClick={() => open({ kind: 'list' })}>
        {t('backToJobs')}
      </button>
      <header className="job-header">
        <h1 id="job-title">{job.name}</h1>
        <span className={`job-state state-${job.state}`} aria-label={t('jobStateLabel', { state: t(`job_${job.state}`) })}>
          {t(`job_${job.state}`)}
        </span>
      </header>
      <p className="hint">{t('jobMeta', { release: job.releaseId, by: job.createdBy, at: format.dateTime(job.createdAt) })}</p>
      {job.reason && (job.state === 'paused' || job.state === 'aborted') && (
        <p className="banner warning" role="alert">
          {t(job.state === 'paused' ? 'pausedBecause' : 'abortedBecause', { reason: job.reason })}
        </p>
      )}
      {job.approval && <JobApproval job={{ ...job, approval: job.approval }} />}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {button('pause', 'pauseJob', job.state === 'running' || job.state === 'scheduled')}
        {button('resume', 'resumeJob', job.state === 'paused')}
        {button('retry-failed', 'retryFailed', groups.failed > 0 && job.state !== 'canceled' && job.state !== 'aborted')}
        {button('cancel', 'cancelJob', !ended, 'danger')}
        {job.spec.actionType === 'download-only' && (
          <button
            type="button"
            className="primary"
            disabled={!createPerm.allowed || groups.succeeded === 0 || busy}
            title={createPerm.reason}
            onClick={() => setConfirmInstall(true)}
          >
            {t('installDownloaded', { n: groups.succeeded })}
          </button>
        )}
      </div>
      {confirmInstall && (
        <ConfirmDialog
          danger={false}
          message={t('installDownloadedConfirm', { n: groups.succeeded })}
          confirmLabel={t('installDownloadedButton')}
          onCancel={() => setConfirmInstall(false)}
          onConfirm={() => {
            setConfirmInstall(false)
            void installDownloaded(job.id)
          }}
        />
      )}

      <dl className="job-summary">
        <div>
          <dt>{t('vehicles')}</dt>
          <dd>{all}</dd>
        </div>
        {GROUP_ORDER.map((g) => (
          <div key={g} className={`tone-text-${TONE[g]}`}>
            <dt>{groupLabel(g)}</dt>
            <dd>{groups[g]}</dd>
          </div>
        ))}
        <div>
          <dt>{t('rate')}</dt>
          <dd>{rollup ? t('perMinute', { n: rollup.ratePerMinute }) : '—'}</dd>
        </div>
        {job.delivery.delta + job.delivery.fallback > 0 && (
          <div>
            <dt>{t('bytesSaved')}</dt>
            <dd title={t('deliveryWords', { delta: job.delivery.delta, full: job.delivery.full, fallback: job.delivery.fallback })}>{format.bytes(job.delivery.bytesSaved)}</dd>
          </div>
        )}
        <div>
          <dt>{t('eta')}</dt>
          <dd>{ended ? t('etaDone') : eta ? t('etaValue', { h: eta.h, m: eta.m, s: eta.s }) : t('etaUnknown')}</dd>
        </div>
      </dl>

      <section aria-labelledby="waves-h">
        <h2 id="waves-h">{t('progressByWave')}</h2>
        <ol className="wave-progress">
          {job.waves.map((w) => {
            const g = grouped(w.counts)
            const segments = GROUP_ORDER.map((k) => ({ key: k, label: groupLabel(k), value: g[k], tone: TONE[k] }))
            const words = GROUP_ORDER.filter((k) => g[k] > 0)
              .map((k) => `${g[k]} ${groupLabel(k)}`)
              .join(', ')
            return (
              <li key={w.wave} aria-current={w.wave === job.currentWave && !ended ? 'step' : undefined}>
                <span className="wave-name">
                  {t('waveHeading', { n: w.wave + 1, size: w.size })}
                  {job.spec.rollout.waves[w.wave]?.canary ? ` · ${t('canary')}` : ''}
                </span>
                <StackedBar segments={segments} total={w.size} label={t('waveBarLabel', { n: w.wave + 1, words: words || t('nothingYet') })} />
                <span className="wave-words">{words || t('nothingYet')}</span>
              </li>
            )
          })}
        </ol>
      </section>

      <div className="dashboard-grid">
        <section aria-labelledby="states-h">
          <h2 id="states-h">{t('countsByState')}</h2>
          <table className="counts">
            <tbody>
              {Object.entries(job.counts)
                .filter(([, n]) => n > 0)
                .map(([s, n]) => (
                  <tr key={s}>
                    <th scope="row">{stateLabel(s)}</th>
                    <td>{n}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
        <section aria-labelledby="timeline-h">
          <h2 id="timeline-h">{t('timeline')}</h2>
          <TimelineChart
            label={t('timelineLabel')}
            emptyText={t('timelineEmpty')}
            series={[
              {
                label: t('throughput'),
                tone: 'busy',
                unit: '/min',
                max: Math.max(1, ...points.map((p) => p.ratePerMinute)),
                points: points.map((p) => ({ t: p.t, v: p.ratePerMinute }))
              },
              {
                label: t('successRate'),
                tone: 'ok',
                unit: '%',
                max: 100,
                points: points.map((p) => ({ t: p.t, v: p.succeeded + p.failed > 0 ? (100 * p.succeeded) / (p.succeeded + p.failed) : 100 }))
              }
            ]}
          />
        </section>
      </div>

      <details className="failure-breakdown">
        <summary>{t('failureBreakdown', { n: groups.failed })}</summary>
        {causes.length === 0 ? (
          <p className="empty">{t('noFailures')}</p>
        ) : (
          <BarList label={t('failureCauses')} bars={causes.map(([c, n]) => ({ label: causeText(t, c), value: n, tone: 'bad' }))} />
        )}
      </details>

      <AddVehicles job={job} ended={ended} />

      <details>
        <summary>{t('planInWords')}</summary>
        <ul className="plan-words">
          {specInWords(
            t,
            job.spec,
            format.dateTime,
            job.waves.map((w) => w.size)
          ).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </details>

      <Executions job={job} />
    </section>
  )
}

/** Per-vehicle drill-down: executions by state, and one vehicle's step log. */
function Executions({ job }: { job: JobView }) {
  const t = useT()
  const format = useFormat()
  const [state, setState] = useState<string>('')
  const [page, setPage] = useState<ExecutionPage | undefined>()
  const [error, setError] = useState<string>()
  const [steps, setSteps] = useState<ExecutionSteps | undefined>()
  const filterId = useId()
  const version = total(job.counts) + JSON.stringify(job.counts)

  const fetchPage = (cursor?: string) =>
    ota.jobs.executions({ id: job.id, state: (state || undefined) as never, cursor, limit: 50 }).then((r) => {
      if (!r.ok) return setError(r.error.message)
      setError(undefined)
      setPage((prev) => (cursor && prev ? { executions: [...prev.executions, ...r.value.executions], nextCursor: r.value.nextCursor } : r.value))
    })
  // The first page follows the filter and the job's state at once, and the live counts at most every two seconds.
  useEffect(() => {
    const timer = setTimeout(() => void fetchPage(), 0)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job.id, job.state, state])
  const lastFetch = useRef(0)
  useEffect(() => {
    // Throttled, not debounced: rollups arrive twice a second for as long as the job runs.
    const wait = Math.max(0, lastFetch.current + 2000 - Date.now())
    const timer = setTimeout(() => {
      lastFetch.current = Date.now()
      void fetchPage()
    }, wait)
    return () => clearTimeout(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version])

  const showSteps = async (vin: string) => {
    const r = await ota.jobs.steps({ id: job.id, vin })
    if (r.ok) setSteps(r.value)
    else setError(r.error.message)
  }

  return (
    <section aria-labelledby="exec-h" className="executions">
      <h2 id="exec-h">{t('executions')}</h2>
      <div className="field" style={{ maxWidth: '16rem' }}>
        <label htmlFor={filterId}>{t('filterByState')}</label>
        <select id={filterId} value={state} onChange={(e) => setState(e.target.value)}>
          <option value="">{t('allStates')}</option>
          {Object.values(STATE_GROUPS)
            .flat()
            .map((s) => (
              <option key={s} value={s}>
                {t(`exec_${s}`)}
              </option>
            ))}
        </select>
      </div>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {page && page.executions.length === 0 && <p className="empty">{t('noExecutions')}</p>}
      {page && page.executions.length > 0 && (
        <table className="exec-table">
          <thead>
            <tr>
              <th scope="col">VIN</th>
              <th scope="col">{t('wave')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('percent')}</th>
              <th scope="col">{t('cause')}</th>
              <th scope="col">{t('updated')}</th>
            </tr>
          </thead>
          <tbody>
            {page.executions.map((e) => (
              <tr key={e.vin} className={TERMINAL_STATES.includes(e.state) ? 'ended' : undefined}>
                <td>
                  <button type="button" className="link mono" onClick={() => void showSteps(e.vin)} aria-label={t('showSteps', { vin: e.vin })}>
                    {e.vin}
                  </button>
                </td>
                <td>{e.wave + 1}</td>
                <td>{t(`exec_${e.state}`)}</td>
                <td>{e.percent}%</td>
                <td>{e.cause ? causeText(t, e.cause) : ''}</td>
                <td>{format.time(e.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.nextCursor && (
        <button type="button" onClick={() => void fetchPage(page.nextCursor!)}>
          {t('loadMore')}
        </button>
      )}
      {steps && (
        <section className="step-log" aria-label={t('stepLog', { vin: steps.vin })}>
          <h3>{t('stepLog', { vin: steps.vin })}</h3>
          {steps.steps.length === 0 ? (
            <p className="empty">{t('noSteps')}</p>
          ) : (
            <ol>
              {steps.steps.map((s, i) => (
                <li key={i}>
                  <time dateTime={s.at}>{format.time(s.at)}</time> {s.step} {s.percent}% {s.cause ? `· ${causeText(t, s.cause)}` : ''}
                </li>
              ))}
            </ol>
          )}
          <button type="button" className="link" onClick={() => setSteps(undefined)}>
            {t('close')}
          </button>
        </section>
      )}
    </section>
  )
}
