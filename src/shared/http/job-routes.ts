import { z } from 'zod'
import { JobId } from '../bundle/manifest'
import { ModelName } from '../fleet/catalog'
import { ApiError } from '../fleet/errors'
import { AddVehiclesResult, ApprovalDecision, DryRun, ExecutionPage, ExecutionQuery, JobSpec, JobView, ModelApproval, PolicyInput, PolicyView, Rejection } from '../fleet/jobs'
import { Vin } from '../fleet/device'
import { route } from './route'

const PolicyId = z.string().regex(/^pol_[0-9a-f]{16}$/, 'not a policy id')
const ByJob = z.object({ id: JobId })
const ByPolicy = z.object({ id: PolicyId })
const JobName = z.string().trim().min(1).max(120)

// One type for the three, so one handler maker serves them.
const jobControl = (action: 'pause' | 'resume' | 'cancel', summary: string) =>
  route({
    method: 'POST',
    path: `/api/v1/jobs/:id/${action}`,
    summary,
    tag: 'jobs',
    auth: { action: 'job.control' },
    params: ByJob,
    responses: { 200: JobView, 404: ApiError, 409: ApiError }
  })

/** The `models` namespace of BACKEND_API: which device models' jobs need approval. */
export const MODEL_ROUTES = {
  approvals: route({
    method: 'GET',
    path: '/api/v1/models/approval',
    summary: "The device models whose jobs need a second person's approval",
    tag: 'jobs',
    auth: { action: 'job.read' },
    responses: { 200: z.object({ models: z.array(ModelApproval) }) }
  }),
  setApproval: route({
    method: 'PUT',
    path: '/api/v1/models/:model/approval',
    summary: "Whether every job for this device model needs a second person's approval before it starts",
    tag: 'jobs',
    auth: { action: 'model.configure' },
    params: z.object({ model: ModelName }),
    body: z.object({ requireApproval: z.boolean() }).strict(),
    responses: { 200: ModelApproval }
  })
}

/** The `jobs` namespace of BACKEND_API: update jobs, their executions, control and four-eyes approval. */
export const JOB_ROUTES = {
  dryRun: route({
    method: 'POST',
    path: '/api/v1/jobs/dry-run',
    summary: 'How many vehicles a job would select, and its wave sizes; nothing is created',
    tag: 'jobs',
    auth: { action: 'job.read' },
    body: JobSpec,
    responses: { 200: DryRun, 404: ApiError }
  }),
  create: route({
    method: 'POST',
    path: '/api/v1/jobs',
    summary: 'Create an update job: a release, a selection, waves, thresholds, schedule and action type',
    tag: 'jobs',
    auth: { action: 'job.create' },
    body: JobSpec,
    responses: { 201: JobView, 404: ApiError }
  }),
  list: route({
    method: 'GET',
    path: '/api/v1/jobs',
    summary: 'Jobs, newest first, with their counts',
    tag: 'jobs',
    auth: { action: 'job.read' },
    responses: { 200: z.object({ jobs: z.array(JobView) }) }
  }),
  get: route({
    method: 'GET',
    path: '/api/v1/jobs/:id',
    summary: 'One job: state (with the reason a threshold gave), waves, counts by state and failure cause',
    tag: 'jobs',
    auth: { action: 'job.read' },
    params: ByJob,
    responses: { 200: JobView, 404: ApiError }
  }),
  executions: route({
    method: 'GET',
    path: '/api/v1/jobs/:id/executions',
    summary: "A job's executions (one per vehicle), filtered by state and wave, in VIN order, cursor-paged",
    tag: 'jobs',
    auth: { action: 'job.read' },
    params: ByJob,
    query: ExecutionQuery,
    responses: { 200: ExecutionPage, 404: ApiError }
  }),
  pause: jobControl('pause', 'Pause a job: no vehicle is notified until it resumes'),
  resume: jobControl('resume', 'Resume a paused job; failures so far are accepted, thresholds judge what follows'),
  cancel: jobControl('cancel', 'Cancel a job: executions not yet started are canceled, running ones told to stop'),
  addVehicles: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/vehicles',
    summary: 'Add vehicles to a job that has not ended, in its current wave',
    tag: 'jobs',
    auth: { action: 'job.control' },
    params: ByJob,
    body: z.object({ vins: z.array(Vin).min(1).max(10_000) }).strict(),
    responses: { 200: AddVehiclesResult, 404: ApiError, 409: ApiError }
  }),
  install: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/install',
    summary: 'Install on command: a forced job over the vehicles a download-only job has readied',
    tag: 'jobs',
    auth: { action: 'job.create' },
    params: ByJob,
    body: z.object({ name: JobName.optional() }).strict(),
    responses: { 201: JobView, 404: ApiError, 409: ApiError }
  }),
  approve: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/approve',
    summary: "Approve a job that waits for approval, so it starts (or waits for its start time); never the creator's own",
    tag: 'jobs',
    auth: { action: 'job.approve' },
    params: ByJob,
    body: ApprovalDecision,
    responses: { 200: JobView, 403: ApiError, 404: ApiError, 409: ApiError }
  }),
  reject: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/reject',
    summary: "Reject a job that waits for approval, saying why; it never starts. Never the creator's own",
    tag: 'jobs',
    auth: { action: 'job.approve' },
    params: ByJob,
    body: Rejection,
    responses: { 200: JobView, 403: ApiError, 404: ApiError, 409: ApiError }
  }),
  retryFailed: route({
    method: 'POST',
    path: '/api/v1/jobs/:id/retry-failed',
    summary: 'Queue the failed and timed-out executions again',
    tag: 'jobs',
    auth: { action: 'job.control' },
    params: ByJob,
    responses: { 200: JobView, 404: ApiError }
  })
}

/** The `policies` namespace of BACKEND_API: job templates and standing rules. */
export const POLICY_ROUTES = {
  list: route({
    method: 'GET',
    path: '/api/v1/policies',
    summary: 'Upgrade policies: job templates and standing (device-initiated) rules',
    tag: 'policies',
    auth: { action: 'job.read' },
    responses: { 200: z.object({ policies: z.array(PolicyView) }) }
  }),
  create: route({
    method: 'POST',
    path: '/api/v1/policies',
    summary: 'Save a template (target, rollout, thresholds, schedule, action type) or a standing rule (release, selection, windows, dates)',
    tag: 'policies',
    auth: { action: 'policy.write' },
    body: PolicyInput,
    responses: { 201: PolicyView, 404: ApiError, 409: ApiError }
  }),
  update: route({
    method: 'PUT',
    path: '/api/v1/policies/:id',
    summary: 'Change a template',
    tag: 'policies',
    auth: { action: 'policy.write' },
    params: ByPolicy,
    body: PolicyInput,
    responses: { 200: PolicyView, 404: ApiError, 409: ApiError }
  }),
  delete: route({
    method: 'DELETE',
    path: '/api/v1/policies/:id',
    summary: 'Delete a template (jobs made from it stay)',
    tag: 'policies',
    auth: { action: 'policy.write' },
    params: ByPolicy,
    responses: { 204: z.null(), 404: ApiError }
  }),
  preview: route({
    method: 'GET',
    path: '/api/v1/policies/:id/preview',
    summary: 'How many vehicles the policy selects now, and (for a template) its wave sizes',
    tag: 'policies',
    auth: { action: 'job.read' },
    params: ByPolicy,
    responses: { 200: DryRun, 404: ApiError }
  }),
  createJob: route({
    method: 'POST',
    path: '/api/v1/policies/:id/jobs',
    summary: 'Create a job from a template (a standing rule makes none: 409)',
    tag: 'policies',
    auth: { action: 'job.create' },
    params: ByPolicy,
    body: z.object({ name: JobName }).strict(),
    responses: { 201: JobView, 404: ApiError, 409: ApiError }
  })
}
