import { create } from 'zustand'
import { withRollup } from '../../../../shared/fleet/job-rollup'
import type { JobSpec, JobView } from '../../../../shared/fleet/jobs'
import type { JobRollup } from '../../../../shared/protocol/messages'
import type { JobControl } from '../../../../shared/calls/campaigns'
import { ota, unwrap } from '../../ota'

/** One point of a job's timeline, taken from each live rollup. */
export interface TimelinePoint {
  t: number
  ratePerMinute: number
  succeeded: number
  failed: number
}

const TIMELINE_POINTS = 600

export type JobsView = { kind: 'list' } | { kind: 'new'; policyId?: string } | { kind: 'job'; id: string }

interface JobsState {
  jobs: JobView[]
  loaded: boolean
  stale: boolean
  fetchedAt: string | null
  error?: string
  view: JobsView
  /** The latest rollup per job: rate and ETA, which the job view itself does not carry. */
  live: Record<string, JobRollup>
  timelines: Record<string, TimelinePoint[]>
  busy: boolean
  load(): Promise<void>
  open(view: JobsView): void
  refreshJob(id: string): Promise<void>
  control(id: string, action: JobControl): Promise<void>
  createFromSpec(spec: JobSpec): Promise<JobView>
  createFromPolicy(policyId: string, name: string): Promise<JobView>
  installDownloaded(id: string): Promise<void>
  /** Approves or rejects a job that waits for approval, with the approver's comment. */
  decide(id: string, decision: 'approve' | 'reject', comment: string): Promise<void>
  applyRollups(rollups: JobRollup[]): void
}

const failedOf = (counts: Record<string, number>) => (counts.failed ?? 0) + (counts.timed_out ?? 0)

export const useJobs = create<JobsState>()((set, get) => {
  const upsert = (job: JobView) => {
    const others = get().jobs.filter((j) => j.id !== job.id)
    set({ jobs: [job, ...others].sort((a, b) => b.createdAt.localeCompare(a.createdAt)) })
  }
  const created = (job: JobView) => {
    upsert(job)
    set({ view: { kind: 'job', id: job.id } })
    return job
  }
  /** One action on a job at a time; its error is shown on the dashboard. */
  const working = async (work: () => Promise<void>) => {
    set({ busy: true, error: undefined })
    try {
      await work()
    } catch (err) {
      set({ error: (err as Error).message })
    } finally {
      set({ busy: false })
    }
  }
  return {
    jobs: [],
    loaded: false,
    stale: false,
    fetchedAt: null,
    view: { kind: 'list' },
    live: {},
    timelines: {},
    busy: false,
    async load() {
      const r = await ota.jobs.list()
      if (r.ok) set({ jobs: r.value.jobs, stale: r.value.stale, fetchedAt: r.value.fetchedAt, loaded: true, error: undefined })
      else set({ loaded: true, error: r.error.message, jobs: r.error.code === 'NO_CONNECTION' ? [] : get().jobs })
    },
    open: (view) => set({ view, error: undefined }),
    async refreshJob(id) {
      const r = await ota.jobs.get({ id })
      if (r.ok) upsert(r.value)
    },
    control: (id, action) => working(async () => upsert(await unwrap(ota.jobs.control({ id, action })))),
    createFromSpec: async (spec) => created(await unwrap(ota.jobs.create(spec))),
    createFromPolicy: async (policyId, name) => created(await unwrap(ota.policies.createJob({ id: policyId, name }))),
    installDownloaded: (id) => working(async () => void created(await unwrap(ota.jobs.install({ id })))),
    decide: (id, decision, comment) => working(async () => upsert(await unwrap(ota.jobs[decision]({ id, comment })))),
    applyRollups(rollups) {
      const { jobs, live, timelines } = get()
      const nextLive = { ...live }
      const nextTimelines = { ...timelines }
      for (const r of rollups) {
        nextLive[r.jobId] = r
        const points = nextTimelines[r.jobId] ?? []
        const point = { t: Date.parse(r.at), ratePerMinute: r.ratePerMinute, succeeded: r.counts.succeeded ?? 0, failed: failedOf(r.counts) }
        nextTimelines[r.jobId] = [...points, point].slice(-TIMELINE_POINTS)
      }
      const known = new Set(jobs.map((j) => j.id))
      set({ live: nextLive, timelines: nextTimelines, jobs: jobs.map((j) => (nextLive[j.id] && rollups.some((r) => r.jobId === j.id) ? withRollup(j, nextLive[j.id]!) : j)) })
      // A job created elsewhere (another console, a policy): fetch it once.
      for (const r of rollups) if (!known.has(r.jobId)) void get().refreshJob(r.jobId)
    }
  }
})

ota.on('jobs.rollups', ({ rollups }) => useJobs.getState().applyRollups(rollups))
