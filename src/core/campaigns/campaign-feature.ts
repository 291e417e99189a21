import { z } from 'zod'
import { OtaError } from '../../shared/errors'
import { withRollup } from '../../shared/fleet/job-rollup'
import { JobView } from '../../shared/fleet/jobs'
import { JobRollup } from '../../shared/protocol/messages'
import type { JobList } from '../../shared/calls/campaigns'
import type { BackendCache } from '../backend/backend-cache'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { createLatestBatcher } from '../live/batcher'
import { validJobRollups, type RawJobRollup } from '../live/live-link'

const JOBS_KEY = 'jobs'
const rollupKey = (jobId: string) => `rollup:${jobId}`
const CachedJobs = z.array(JobView)
const CONTROL = { pause: 'pause', resume: 'resume', cancel: 'cancel', 'retry-failed': 'retryFailed' } as const

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
    const hit = cache.get(CachedJobs, profileId, JOBS_KEY)
    if (!hit) return undefined
    const rollups = cache.byPrefix(JobRollup, profileId, 'rollup:')
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

  const handlers: HandlersOf<'jobs'> & HandlersOf<'models'> & HandlersOf<'policies'> = {
    'jobs.list': async () => {
      const profileId = deps.profileId()
      try {
        const { jobs } = await ask((c) => c.jobs.list())
        const fetchedAt = new Date().toISOString()
        if (profileId) cache.put(profileId, JOBS_KEY, jobs, fetchedAt)
        return { jobs, stale: false, fetchedAt }
      } catch (err) {
        const cached = profileId && err instanceof OtaError && err.code === 'BACKEND_UNREACHABLE' ? cachedJobs(profileId) : undefined
        if (cached) return cached
        throw err
      }
    },
    'jobs.get': ({ id }) => ask((c) => c.jobs.get({ id })),
    'jobs.dryRun': (spec) => ask((c) => c.jobs.dryRun(spec)),
    'jobs.create': (spec) => ask((c) => c.jobs.create(spec)),
    'jobs.control': ({ id, action }) => ask((c) => c.jobs[CONTROL[action]]({ id })),
    'jobs.executions': ({ id, ...query }) => ask((c) => c.jobs.executions({ id }, query)),
    'jobs.addVehicles': ({ id, vins }) => ask((c) => c.jobs.addVehicles({ id }, { vins })),
    'jobs.install': ({ id, name }) => ask((c) => c.jobs.install({ id }, { name })),
    'jobs.approve': ({ id, comment }) => ask((c) => c.jobs.approve({ id }, { comment })),
    'jobs.reject': ({ id, comment }) => ask((c) => c.jobs.reject({ id }, { comment })),
    'models.approvals': () => ask((c) => c.models.approvals()),
    'models.setApproval': ({ model, requireApproval }) => ask((c) => c.models.setApproval({ model }, { requireApproval })),
    'jobs.steps': ({ id, vin }) =>
      ask(async (c) => {
        const [job, vehicle] = await Promise.all([c.jobs.get({ id }), c.vehicles.get({ vin })])
        const steps = vehicle.updateHistory.filter((s) => s.releaseId === job.releaseId).sort((a, b) => a.at.localeCompare(b.at))
        return { vin, steps }
      }),
    'policies.list': () => ask((c) => c.policies.list()),
    'policies.create': (policy) => ask((c) => c.policies.create(policy)),
    'policies.update': ({ id, policy }) => ask((c) => c.policies.update({ id }, policy)),
    'policies.delete': async ({ id }) => void (await ask((c) => c.policies.delete({ id }))),
    'policies.preview': ({ id }) => ask((c) => c.policies.preview({ id })),
    'policies.createJob': ({ id, name }) => ask((c) => c.policies.createJob({ id }, { name }))
  }

  return { handlers, onJobRollup: (r: RawJobRollup) => batcher.push(r), close: () => batcher.close() }
}
