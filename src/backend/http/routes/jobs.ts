import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import type { Handler, Handlers } from '../route'
import { audited, type Services } from './services'

const DONE = { pause: 'paused', cancel: 'canceled' } as const

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
    retryFailed: ({ params, principal }) => audited(audit, principal, 'job.retry-failed', params.id, () => jobs.retryFailed(params.id))
  }
}
