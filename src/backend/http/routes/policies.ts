import { z } from 'zod'
import { ApiError } from '../../../shared/fleet/errors'
import { DryRun, JobView, PolicyInput, PolicyView } from '../../../shared/fleet/jobs'
import { principalName } from '../../auth/tokens'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const ById = z.object({ id: z.string().regex(/^pol_[0-9a-f]{16}$/, 'not a policy id') })

export const policyRoutes = ({ policies, jobs, audit }: Services) => [
  defineRoute({
    method: 'GET',
    url: '/api/v1/policies',
    summary: 'Upgrade policies: job templates and standing (device-initiated) rules',
    tag: 'policies',
    auth: { action: 'job.read' },
    responses: { 200: z.object({ policies: z.array(PolicyView) }) },
    handler: async () => ({ policies: await policies.list() })
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/policies',
    summary: 'Save a template (target, rollout, thresholds, schedule, action type) or a standing rule (release, selection, windows, dates)',
    tag: 'policies',
    auth: { action: 'policy.write' },
    body: PolicyInput,
    responses: { 201: PolicyView, 404: ApiError, 409: ApiError },
    handler: async ({ body, principal, reply }) =>
      reply.status(201).send(
        await audited(
          audit,
          principal,
          'policy.create',
          body.name,
          () => policies.create(body, principalName(principal!)),
          (p) => p.id
        )
      )
  }),
  defineRoute({
    method: 'PUT',
    url: '/api/v1/policies/:id',
    summary: 'Change a template',
    tag: 'policies',
    auth: { action: 'policy.write' },
    params: ById,
    body: PolicyInput,
    responses: { 200: PolicyView, 404: ApiError, 409: ApiError },
    handler: async ({ params, body, principal }) => audited(audit, principal, 'policy.update', params.id, () => policies.update(params.id, body))
  }),
  defineRoute({
    method: 'DELETE',
    url: '/api/v1/policies/:id',
    summary: 'Delete a template (jobs made from it stay)',
    tag: 'policies',
    auth: { action: 'policy.write' },
    params: ById,
    responses: { 204: z.null(), 404: ApiError },
    handler: async ({ params, principal, reply }) => {
      await audited(audit, principal, 'policy.delete', params.id, () => policies.remove(params.id))
      return reply.status(204).send()
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/policies/:id/preview',
    summary: 'How many vehicles the policy selects now, and (for a template) its wave sizes',
    tag: 'policies',
    auth: { action: 'job.read' },
    params: ById,
    responses: { 200: DryRun, 404: ApiError },
    handler: async ({ params }) => jobs.dryRun(await policies.previewSpec(params.id))
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/policies/:id/jobs',
    summary: 'Create a job from a template (a standing rule makes none: 409)',
    tag: 'policies',
    auth: { action: 'job.create' },
    params: ById,
    body: z.object({ name: z.string().trim().min(1).max(120) }).strict(),
    responses: { 201: JobView, 404: ApiError, 409: ApiError },
    handler: async ({ params, body, principal, reply }) => {
      const spec = await policies.jobSpec(params.id, body.name)
      const job = await audited(
        audit,
        principal,
        'job.create',
        body.name,
        () => jobs.create(spec, principalName(principal!)),
        (j) => `${j.id} from ${params.id}`
      )
      return reply.status(201).send(job)
    }
  })
]
