import { z } from 'zod'
import { ApiError } from '../../../shared/fleet/errors'
import { Vin } from '../../../shared/fleet/device'
import { AddVehiclesResult, DryRun, ExecutionPage, ExecutionQuery, JobSpec, JobView } from '../../../shared/fleet/jobs'
import { principalName } from '../../auth/tokens'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const DONE = { pause: 'paused', cancel: 'canceled' } as const

const ById = z.object({ id: z.string().regex(/^job_[0-9a-f]{16}$/, 'not a job id') })

export const jobRoutes = ({ jobs, audit }: Services) => {
  const control = (action: 'pause' | 'resume' | 'cancel', summary: string) =>
    defineRoute({
      method: 'POST',
      url: `/api/v1/jobs/:id/${action}`,
      summary,
      tag: 'jobs',
      auth: { action: 'job.control' },
      params: ById,
      responses: { 200: JobView, 404: ApiError, 409: ApiError },
      handler: async ({ params, principal }) =>
        audited(audit, principal, `job.${action}`, params.id, () => jobs.act(params.id, action, action === 'resume' ? null : `${DONE[action]} by ${principalName(principal!)}`))
    })
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/dry-run',
      summary: 'How many vehicles a job would select, and its wave sizes; nothing is created',
      tag: 'jobs',
      auth: { action: 'job.read' },
      body: JobSpec,
      responses: { 200: DryRun, 404: ApiError },
      handler: async ({ body }) => jobs.dryRun(body)
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs',
      summary: 'Create an update job: a release, a selection, waves, thresholds, schedule and action type',
      tag: 'jobs',
      auth: { action: 'job.create' },
      body: JobSpec,
      responses: { 201: JobView, 404: ApiError },
      handler: async ({ body, principal, reply }) => {
        const job = await audited(
          audit,
          principal,
          'job.create',
          body.name,
          () => jobs.create(body, principalName(principal!)),
          (j) => `${j.id}: ${j.counts.queued ?? 0} vehicles`
        )
        return reply.status(201).send(job)
      }
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/jobs',
      summary: 'Jobs, newest first, with their counts',
      tag: 'jobs',
      auth: { action: 'job.read' },
      responses: { 200: z.object({ jobs: z.array(JobView) }) },
      handler: async () => ({ jobs: await jobs.list() })
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/jobs/:id',
      summary: 'One job: state (with the reason a threshold gave), waves, counts by state and failure cause',
      tag: 'jobs',
      auth: { action: 'job.read' },
      params: ById,
      responses: { 200: JobView, 404: ApiError },
      handler: async ({ params }) => jobs.view(params.id)
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/jobs/:id/executions',
      summary: "A job's executions (one per vehicle), filtered by state and wave, in VIN order, cursor-paged",
      tag: 'jobs',
      auth: { action: 'job.read' },
      params: ById,
      query: ExecutionQuery,
      responses: { 200: ExecutionPage, 404: ApiError },
      handler: async ({ params, query }) => jobs.executions(params.id, query)
    }),
    control('pause', 'Pause a job: no vehicle is notified until it resumes'),
    control('resume', 'Resume a paused job; failures so far are accepted, thresholds judge what follows'),
    control('cancel', 'Cancel a job: executions not yet started are canceled, running ones told to stop'),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/vehicles',
      summary: 'Add vehicles to a job that has not ended, in its current wave',
      tag: 'jobs',
      auth: { action: 'job.control' },
      params: ById,
      body: z.object({ vins: z.array(Vin).min(1).max(10_000) }).strict(),
      responses: { 200: AddVehiclesResult, 404: ApiError, 409: ApiError },
      handler: async ({ params, body, principal }) =>
        audited(
          audit,
          principal,
          'job.add-vehicles',
          params.id,
          () => jobs.addVehicles(params.id, body.vins),
          (r) => `${r.added.length} added, ${r.skipped.length} skipped`
        )
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/install',
      summary: 'Install on command: a forced job over the vehicles a download-only job has readied',
      tag: 'jobs',
      auth: { action: 'job.create' },
      params: ById,
      body: z.object({ name: z.string().trim().min(1).max(120).optional() }).strict(),
      responses: { 201: JobView, 404: ApiError, 409: ApiError },
      handler: async ({ params, body, principal, reply }) => {
        const job = await audited(
          audit,
          principal,
          'job.create',
          params.id,
          () => jobs.installDownloaded(params.id, principalName(principal!), body.name),
          (j) => `${j.id}: install ${j.counts.queued ?? 0} downloaded`
        )
        return reply.status(201).send(job)
      }
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/retry-failed',
      summary: 'Queue the failed and timed-out executions again',
      tag: 'jobs',
      auth: { action: 'job.control' },
      params: ById,
      responses: { 200: JobView, 404: ApiError },
      handler: async ({ params, principal }) => audited(audit, principal, 'job.retry-failed', params.id, () => jobs.retryFailed(params.id))
    })
  ]
}
