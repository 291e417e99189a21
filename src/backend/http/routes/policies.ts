import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

export const policyHandlers = ({ policies, jobs, audit }: Services): Handlers<BackendApi>['policies'] => ({
  list: async () => ({ policies: await policies.list() }),
  create: ({ body, principal }) =>
    audited(
      audit,
      principal,
      'policy.create',
      body.name,
      () => policies.create(body, principalName(principal!)),
      (p) => p.id
    ),
  update: ({ params, body, principal }) => audited(audit, principal, 'policy.update', params.id, () => policies.update(params.id, body)),
  delete: async ({ params, principal }) => {
    await audited(audit, principal, 'policy.delete', params.id, () => policies.remove(params.id))
    return null
  },
  preview: async ({ params }) => jobs.dryRun(await policies.previewSpec(params.id)),
  createJob: async ({ params, body, principal }) => {
    const { spec, template } = await policies.jobSpec(params.id, body.name)
    return audited(
      audit,
      principal,
      'job.create',
      body.name,
      () => jobs.create(spec, principalName(principal!), template),
      (j) => `${j.id} from ${params.id}`
    )
  }
})
