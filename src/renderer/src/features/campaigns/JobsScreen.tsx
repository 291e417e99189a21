import { memo, useEffect } from 'react'
import type { JobView } from '../../../../shared/fleet/jobs'
import { useFormat, useT } from '../../i18n'
import { usePermission, useSession } from '../../store/session'
import { StackedBar } from './charts'
import { JobDashboard } from './JobDashboard'
import { grouped, TONE, total, type StateGroup } from './job-states'
import { useJobs, type JobsView } from './jobs-store'
import { NewJob } from './NewJob'
import './campaigns.css'
import { useFields } from '../../store/fields'

const ORDER: StateGroup[] = ['succeeded', 'failed', 'inFlight', 'queued', 'other']

export function JobsScreen() {
  const t = useT()
  const format = useFormat()
  const { jobs, loaded, stale, fetchedAt, error, view, load, open } = useFields(useJobs, 'jobs', 'loaded', 'stale', 'fetchedAt', 'error', 'view', 'load', 'open')
  const perm = usePermission('job.create')
  const session = useSession((s) => s.status)
  // Reload when the console (re)connects to a backend.
  useEffect(() => void load(), [load, session?.profileId, session?.backend])

  if (view.kind === 'new') return <NewJob />
  if (view.kind === 'job') {
    const job = jobs.find((j) => j.id === view.id)
    if (job) return <JobDashboard job={job} />
  }
  return (
    <section className="panel wide" aria-labelledby="jobs-h">
      <header className="screen-header">
        <h1 id="jobs-h">{t('navJobs')}</h1>
        <button type="button" className="primary" disabled={!perm.allowed} title={perm.reason} onClick={() => open({ kind: 'new' })}>
          {t('newJob')}
        </button>
        <button type="button" onClick={() => void load()}>
          {t('refresh')}
        </button>
        {stale && fetchedAt && <span className="stale">{t('stale', { at: format.dateTime(fetchedAt) })}</span>}
      </header>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {loaded && !error && jobs.length === 0 && <p className="empty">{t('noJobs')}</p>}
      {jobs.length > 0 && (
        <table className="jobs-table">
          <thead>
            <tr>
              <th scope="col">{t('jobName')}</th>
              <th scope="col">{t('state')}</th>
              <th scope="col">{t('progress')}</th>
              <th scope="col">{t('created')}</th>
            </tr>
          </thead>
          <tbody>
            {jobs.map((job) => (
              <JobRow key={job.id} job={job} onOpen={open} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

/** One job's row; memoized, since a rollup batch changes some jobs and leaves the rest alone. */
const JobRow = memo(function JobRow({ job, onOpen }: { job: JobView; onOpen(view: JobsView): void }) {
  const t = useT()
  const format = useFormat()
  const g = grouped(job.counts)
  const all = total(job.counts)
  const words = t('jobProgressLabel', { done: g.succeeded, failed: g.failed, all })
  return (
    <tr>
      <td>
        <button type="button" className="link" onClick={() => onOpen({ kind: 'job', id: job.id })}>
          {job.name}
        </button>
      </td>
      <td>
        <span className={`job-state state-${job.state}`}>{t(`job_${job.state}`)}</span>
        {job.reason && <span className="hint reason"> {job.reason}</span>}
      </td>
      <td className="progress-cell">
        <StackedBar total={all} label={words} segments={ORDER.map((k) => ({ key: k, label: t(`group_${k}`), value: g[k], tone: TONE[k] }))} />
        <span className="hint">{words}</span>
      </td>
      <td>{format.dateTime(job.createdAt)}</td>
    </tr>
  )
})
