import { z } from 'zod'
import { OtaError } from '../../shared/errors'
import { withRollup } from '../../shared/fleet/job-rollup'
import { AddVehiclesResult, DryRun, ExecutionPage, JobView, PolicyView } from '../../shared/fleet/jobs'
import { VehicleDetail } from '../../shared/fleet/registry'
import type { JobRollup } from '../../shared/protocol/messages'
import type { JobList } from '../../shared/calls/campaigns'
import type { BackendCache } from '../backend/backend-cache'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { createLatestBatcher } from '../live/batcher'
import { validJobRollups, type RawJobRollup } from '../live/live-link'

const JOBS_KEY = 'jobs'
const rollupKey = (jobId: string) => `rollup:${jobId}`
const Jobs = z.object({ jobs: z.array(JobView) })
const Policies = z.object({ policies: z.array(PolicyView) })
const CONTROL_PATH = { pause: 'pause', resume: 'resume', cancel: 'cancel', 'retry-failed': 'retry-failed' } as const

/** How often, at most, the renderer hears about rollups: ten times a second. */
export const ROLLUP_BATCH_MS = 100

/**
 * Jobs and template policies: calls go to the backend; the job list and every live rollup are
 * kept per profile in SQLite, so the jobs screen opens with the last known state and marks it
 * stale when the backend cannot be reached.
 */
export function createCampaignFeature(deps: FeatureDeps & { cache: BackendCache; profileId(): string | null }) {
  const { cache, hub } = deps
  const { ask } = callsOf(deps)

  const cachedJobs = (profileId: string): JobList | undefined => {
    const hit = cache.get<JobView[]>(profileId, JOBS_KEY)
    if (!hit) return undefined
    const rollups = cache.byPrefix<JobRollup>(profileId, 'rollup:')
    const jobs = hit.value.map((j) => {
      const r = rollups.get(rollupKey(j.id))
      return r && r.at > hit.fetchedAt ? withRollup(j, r) : j
    })
    return { jobs, stale: true, fetchedAt: hit.fetchedAt }
  }

  const batcher = createLatestBatcher<RawJobRollup>({
    intervalMs: ROLLUP_BATCH_MS,
    key: (r) => r.jobId,
    flush: (raw) => {
      const rollups = validJobRollups(raw)
      if (rollups.length === 0) return
      const profileId = deps.profileId()
      if (profileId)
        cache.putMany(
          profileId,
          rollups.map((r) => [rollupKey(r.jobId), r])
        )
      hub.emit('jobs.rollups', { rollups })
    }
  })

  const handlers: HandlersOf<'jobs'> & HandlersOf<'policies'> = {
    'jobs.list': async () => {
      const profileId = deps.profileId()
      try {
        const { jobs } = await ask((c) => c.call(Jobs, 'GET', '/api/v1/jobs'))
        const fetchedAt = new Date().toISOString()
        if (profileId) cache.put(profileId, JOBS_KEY, jobs, fetchedAt)
        return { jobs, stale: false, fetchedAt }
      } catch (err) {
        const cached = profileId && err instanceof OtaError && err.code === 'BACKEND_UNREACHABLE' ? cachedJobs(profileId) : undefined
        if (cached) return cached
        throw err
      }
    },
    'jobs.get': ({ id }) => ask((c) => c.call(JobView, 'GET', `/api/v1/jobs/${id}`)),
    'jobs.dryRun': (spec) => ask((c) => c.call(DryRun, 'POST', '/api/v1/jobs/dry-run', { body: spec })),
    'jobs.create': (spec) => ask((c) => c.call(JobView, 'POST', '/api/v1/jobs', { body: spec })),
    'jobs.control': ({ id, action }) => ask((c) => c.call(JobView, 'POST', `/api/v1/jobs/${id}/${CONTROL_PATH[action]}`)),
    'jobs.executions': ({ id, ...query }) => ask((c) => c.call(ExecutionPage, 'GET', `/api/v1/jobs/${id}/executions`, { query })),
    'jobs.addVehicles': ({ id, vins }) => ask((c) => c.call(AddVehiclesResult, 'POST', `/api/v1/jobs/${id}/vehicles`, { body: { vins } })),
    'jobs.install': ({ id, name }) => ask((c) => c.call(JobView, 'POST', `/api/v1/jobs/${id}/install`, { body: { name } })),
    'jobs.steps': ({ id, vin }) =>
      ask(async (c) => {
        const [job, vehicle] = await Promise.all([c.call(JobView, 'GET', `/api/v1/jobs/${id}`), c.call(VehicleDetail, 'GET', `/api/v1/vehicles/${vin}`)])
        const steps = vehicle.updateHistory.filter((s) => s.releaseId === job.releaseId).sort((a, b) => a.at.localeCompare(b.at))
        return { vin, steps }
      }),
    'policies.list': () => ask((c) => c.call(Policies, 'GET', '/api/v1/policies')),
    'policies.create': (policy) => ask((c) => c.call(PolicyView, 'POST', '/api/v1/policies', { body: policy })),
    'policies.update': ({ id, policy }) => ask((c) => c.call(PolicyView, 'PUT', `/api/v1/policies/${id}`, { body: policy })),
    'policies.delete': async ({ id }) => void (await ask((c) => c.call(z.null(), 'DELETE', `/api/v1/policies/${id}`))),
    'policies.preview': ({ id }) => ask((c) => c.call(DryRun, 'GET', `/api/v1/policies/${id}/preview`)),
    'policies.createJob': ({ id, name }) => ask((c) => c.call(JobView, 'POST', `/api/v1/policies/${id}/jobs`, { body: { name } }))
  }

  return { handlers, onJobRollup: (r: RawJobRollup) => batcher.push(r), close: () => batcher.close() }
}
