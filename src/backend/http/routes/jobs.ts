import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName, principalRole, type Principal } from '../../auth/tokens'
import type { Handler, Handlers } from '../route'
import { audited, type Services } from './services'

const DONE = { pause: 'paused', cancel: 'canceled' } as const
const approver = (principal: Principal) => ({ name: principalName(principal), role: principalRole(principal) })

export const jobHandlers = ({ jobs, audit }: Services): Handlers<BackendApi>['jobs'] => {
  const control =
    (action: 'pause' | 'resume' | 'cancel'): Handler<BackendApi['jobs']['pause']> =>
    ({ params, principal }) =>
      audited(audit, principal, `job.${action}`, params.id, () => jobs.act(params.id, action, action === 'resume' ? null : `${DONE[action]} by ${principalName(principal!)}`))
  return {
    dryRun: ({ body }) => jobs.dryRun(body),
    create: ({ body, principal }) =>
      audited(
        audit,
        principal,
        'job.create',
        body.name,
        () => jobs.create(body, principalName(principal!)),
        (j) => `${j.id}: ${j.counts.queued ?? 0} vehicles`
      ),
    list: async () => ({ jobs: await jobs.list() }),
    get: ({ params }) => jobs.view(params.id),
    executions: ({ params, query }) => jobs.executions(params.id, query),
    pause: control('pause'),
    resume: control('resume'),
    cancel: control('cancel'),
    addVehicles: ({ params, body, principal }) =>
      audited(
        audit,
        principal,
        'job.add-vehicles',
        params.id,
        () => jobs.addVehicles(params.id, body.vins),
        (r) => `${r.added.length} added, ${r.skipped.length} skipped`
      ),
    install: ({ params, body, principal }) =>
      audited(
        audit,
        principal,
        'job.create',
        params.id,
        () => jobs.installDownloaded(params.id, principalName(principal!), body.name),
        (j) => `${j.id}: install ${j.counts.queued ?? 0} downloaded`
      ),
    approve: ({ params, body, principal }) =>
      audited(
        audit,
        principal,
        'job.approve',
        params.id,
        () => jobs.decide(params.id, 'approve', approver(principal!), body.comment),
        () => body.comment
      ),
    reject: ({ params, body, principal }) =>
      audited(
        audit,
        principal,
        'job.reject',
        params.id,
        () => jobs.decide(params.id, 'reject', approver(principal!), body.comment),
        () => body.comment
      ),
    retryFailed: ({ params, principal }) => audited(audit, principal, 'job.retry-failed', params.id, () => jobs.retryFailed(params.id))
  }
}

export const modelHandlers = ({ modelApproval, audit }: Services): Handlers<BackendApi>['models'] => ({
  approvals: async () => ({ models: await modelApproval.list() }),
  setApproval: ({ params, body, principal }) =>
    audited(
      audit,
      principal,
      'model.approval',
      params.model,
      () => modelApproval.set(params.model, body.requireApproval, principalName(principal!)),
      (m) => (m.requireApproval ? 'jobs need approval' : 'jobs need no approval')
    )
})
