import { useId, useState } from 'react'
import { PERMISSIONS } from '../../../../shared/fleet/roles'
import type { JobView } from '../../../../shared/fleet/jobs'
import { useFormat, useT } from '../../i18n'
import { useSession, usePermission } from '../../store/session'
import { useFields } from '../../store/fields'
import { useJobs } from './jobs-store'

/**
 * Four-eyes approval on the job's page: who must act while it waits (and the form for them),
 * or who decided, when and why, once someone has.
 */
export function JobApproval({ job }: { job: JobView & { approval: NonNullable<JobView['approval']> } }) {
  const t = useT()
  const format = useFormat()
  const commentId = useId()
  const { decide, busy } = useFields(useJobs, 'decide', 'busy')
  const perm = usePermission('job.approve')
  const me = useSession((s) => s.status?.identity?.name)
  const [comment, setComment] = useState('')
  const { approval } = job

  if (approval.decision) {
    return (
      <p className={`banner ${approval.decision === 'approved' ? 'ok' : 'warning'}`} role="status">
        {t(approval.decision === 'approved' ? 'approvedBy' : 'rejectedBy', {
          by: approval.by ?? '',
          role: approval.role ?? '',
          at: approval.at ? format.dateTime(approval.at) : '',
          comment: approval.comment || t('noComment')
        })}
      </p>
    )
  }
  if (job.state !== 'waiting_approval') return null
  const own = me === job.createdBy
  const blocked = !perm.allowed ? perm.reason : own ? t('approveOwnJob') : undefined
  return (
    <section className="job-approval" aria-labelledby="approval-h">
      <h2 id="approval-h">{t('approvalTitle')}</h2>
      <p className="banner warning" role="status">
        {t('approvalWaiting', { requiredBy: approval.requiredBy, roles: PERMISSIONS['job.approve'].join(', '), creator: job.createdBy })}
      </p>
      <div className="field">
        <label htmlFor={commentId}>{t('approvalComment')}</label>
        <textarea id={commentId} rows={2} maxLength={1000} value={comment} disabled={!!blocked} onChange={(e) => setComment(e.target.value)} />
      </div>
      <div className="actions">
        <button type="button" className="primary" disabled={!!blocked || busy} title={blocked} onClick={() => void decide(job.id, 'approve', comment)}>
          {t('approveJob')}
        </button>
        <button
          type="button"
          className="danger"
          disabled={!!blocked || busy || !comment.trim()}
          title={blocked ?? (comment.trim() ? undefined : t('rejectNeedsComment'))}
          onClick={() => void decide(job.id, 'reject', comment)}
        >
          {t('rejectJob')}
        </button>
      </div>
      {blocked && <p className="hint">{blocked}</p>}
    </section>
  )
}
