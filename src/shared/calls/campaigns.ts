import { z } from 'zod'
import { VehicleDetail } from '../fleet/registry'
import { Vin } from '../fleet/device'
import { AddVehiclesResult, ApprovalDecision, DryRun, ExecutionPage, ExecutionQuery, JobSpec, JobView, ModelApproval, PolicyInput, PolicyView, Rejection } from '../fleet/jobs'
import { ModelName } from '../fleet/catalog'
import { JobRollup } from '../protocol/messages'
import { call } from './call'

const JobId = z.string().regex(/^job_[0-9a-f]{16}$/, 'not a job id')
const PolicyId = z.string().regex(/^pol_[0-9a-f]{16}$/, 'not a policy id')

/** What a list shows: the backend's answer, or the last one cached here, marked stale. */
export const JobList = z.object({ jobs: z.array(JobView), stale: z.boolean(), fetchedAt: z.string().nullable() })
export type JobList = z.infer<typeof JobList>

export const JobControl = z.enum(['pause', 'resume', 'cancel', 'retry-failed'])
export type JobControl = z.infer<typeof JobControl>

/** One vehicle's step log within a job: what it reported, in order. */
export const ExecutionSteps = z.object({ vin: Vin, steps: VehicleDetail.shape.updateHistory })
export type ExecutionSteps = z.infer<typeof ExecutionSteps>

export const campaignCalls = {
  'jobs.list': call(z.void(), JobList),
  'jobs.get': call(z.object({ id: JobId }).strict(), JobView),
  'jobs.dryRun': call(JobSpec, DryRun),
  'jobs.create': call(JobSpec, JobView),
  'jobs.control': call(z.object({ id: JobId, action: JobControl }).strict(), JobView),
  'jobs.executions': call(ExecutionQuery.extend({ id: JobId }).strict(), ExecutionPage),
  /** A download-only job's install command: a forced job over the vehicles that downloaded. */
  /** Vehicles added to a job that has not ended, in its current wave; those it cannot take are named. */
  'jobs.addVehicles': call(z.object({ id: JobId, vins: z.array(Vin).min(1, 'give at least one VIN').max(10_000) }).strict(), AddVehiclesResult),
  'jobs.install': call(z.object({ id: JobId, name: z.string().trim().min(1).max(120).optional() }).strict(), JobView),
  /** The second pair of eyes on a job that waits for approval; never its creator's own. */
  'jobs.approve': call(ApprovalDecision.extend({ id: JobId }).strict(), JobView),
  'jobs.reject': call(Rejection.extend({ id: JobId }).strict(), JobView),
  /** The device models whose every job waits for approval. */
  'models.approvals': call(z.void(), z.object({ models: z.array(ModelApproval) })),
  'models.setApproval': call(z.object({ model: ModelName, requireApproval: z.boolean() }).strict(), ModelApproval),
  'jobs.steps': call(z.object({ id: JobId, vin: Vin }).strict(), ExecutionSteps),
  'policies.list': call(z.void(), z.object({ policies: z.array(PolicyView) })),
  'policies.create': call(PolicyInput, PolicyView),
  'policies.update': call(z.object({ id: PolicyId, policy: PolicyInput }).strict(), PolicyView),
  'policies.delete': call(z.object({ id: PolicyId }).strict(), z.void()),
  'policies.preview': call(z.object({ id: PolicyId }).strict(), DryRun),
  'policies.createJob': call(z.object({ id: PolicyId, name: z.string().trim().min(1).max(120) }).strict(), JobView)
}

export const campaignEvents = {
  /** The latest rollup of each job that changed, batched: at most ten events a second. */
  'jobs.rollups': z.object({ rollups: z.array(JobRollup) })
}
