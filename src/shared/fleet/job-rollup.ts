import type { JobRollup } from '../protocol/messages'
import type { JobState, JobView } from './jobs'

/** A job as last listed, brought up to date by a live rollup that is newer than it. */
export function withRollup(job: JobView, rollup: JobRollup): JobView {
  if (rollup.jobId !== job.id) return job
  return {
    ...job,
    state: rollup.state as JobState,
    reason: rollup.reason,
    currentWave: rollup.currentWave,
    counts: rollup.counts,
    failureCauses: rollup.failureCauses,
    waves: job.waves.map((w) => {
      const live = rollup.waves.find((r) => r.wave === w.wave)
      return live ? { ...w, size: live.size, counts: live.counts } : w
    })
  }
}
