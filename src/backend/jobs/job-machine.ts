import type { JobState } from '../../shared/fleet/jobs'

export type JobAction = 'approve' | 'reject' | 'start' | 'pause' | 'resume' | 'cancel' | 'abort' | 'complete'

const ALLOWED: Record<JobAction, readonly JobState[]> = {
  approve: ['waiting_approval'],
  reject: ['waiting_approval'],
  start: ['scheduled'],
  pause: ['running', 'scheduled'],
  resume: ['paused'],
  cancel: ['waiting_approval', 'scheduled', 'running', 'paused'],
  abort: ['running', 'paused'],
  complete: ['running']
}
// An approved job waits for its start time as any scheduled job does; the engine starts it.
const RESULT: Record<JobAction, JobState> = {
  approve: 'scheduled',
  reject: 'rejected',
  start: 'running',
  pause: 'paused',
  resume: 'running',
  cancel: 'canceled',
  abort: 'aborted',
  complete: 'completed'
}

/** The job state machine, pure: the new state, or why the action does not apply. */
export function nextJobState(from: JobState, action: JobAction): { ok: true; state: JobState } | { ok: false; reason: string } {
  return ALLOWED[action].includes(from) ? { ok: true, state: RESULT[action] } : { ok: false, reason: `a ${from} job cannot ${action}` }
}
