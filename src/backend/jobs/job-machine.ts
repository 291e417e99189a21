import type { JobState } from '../../shared/fleet/jobs'

export type JobAction = 'start' | 'pause' | 'resume' | 'cancel' | 'abort' | 'complete'

const ALLOWED: Record<JobAction, readonly JobState[]> = {
  start: ['scheduled'],
  pause: ['running', 'scheduled'],
  resume: ['paused'],
  cancel: ['scheduled', 'running', 'paused'],
  abort: ['running', 'paused'],
  complete: ['running']
}
const RESULT: Record<JobAction, JobState> = { start: 'running', pause: 'paused', resume: 'running', cancel: 'canceled', abort: 'aborted', complete: 'completed' }

/** The job state machine, pure: the new state, or why the action does not apply. */
export function nextJobState(from: JobState, action: JobAction): { ok: true; state: JobState } | { ok: false; reason: string } {
  return ALLOWED[action].includes(from) ? { ok: true, state: RESULT[action] } : { ok: false, reason: `a ${from} job cannot ${action}` }
}
