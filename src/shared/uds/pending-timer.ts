import { isResponsePending } from './negative-response'
import { NEGATIVE_RESPONSE_SID, POSITIVE_RESPONSE_OFFSET } from './sids'

/**
 * The client's wait for one request's answer, as a pure state machine a transport drives with
 * its clock: wait P2 for the first answer; each 7F SID 78 (response pending) restarts the wait
 * with P2*; a final answer or the deadline ends it. Time is whatever unit `now` is in (ms).
 */

export interface UdsTiming {
  p2Ms: number
  p2StarMs: number
}

/** Common server values (the 0x10 response announces the real ones); a transport may add its network's latency. */
export const DEFAULT_UDS_TIMING: UdsTiming = { p2Ms: 50, p2StarMs: 5000 }

export type PendingTimer =
  | { state: 'waiting'; requestSid: number; deadline: number; pendingCount: number; timing: UdsTiming }
  | { state: 'answered'; response: Uint8Array; pendingCount: number }
  /** With a suppressed positive response, timing out is the success case. */
  | { state: 'timedOut'; pendingCount: number }

export type PendingTimerEvent = { type: 'frame'; frame: Uint8Array; now: number } | { type: 'tick'; now: number }

export function startPendingTimer(requestSid: number, now: number, timing: UdsTiming = DEFAULT_UDS_TIMING): PendingTimer {
  return { state: 'waiting', requestSid, deadline: now + timing.p2Ms, pendingCount: 0, timing }
}

/** Whether a frame answers the request at all: another service's frames (a stray or late answer) leave the wait as it is. */
function answers(frame: Uint8Array, requestSid: number): boolean {
  return frame[0] === requestSid + POSITIVE_RESPONSE_OFFSET || (frame[0] === NEGATIVE_RESPONSE_SID && frame[1] === requestSid)
}

/** The wait after an event. Ended timers stay as they are; the wait covers [start, deadline). */
export function stepPendingTimer(timer: PendingTimer, event: PendingTimerEvent): PendingTimer {
  if (timer.state !== 'waiting') return timer
  if (event.now >= timer.deadline) return { state: 'timedOut', pendingCount: timer.pendingCount }
  if (event.type === 'tick' || !answers(event.frame, timer.requestSid)) return timer
  if (isResponsePending(event.frame)) return { ...timer, deadline: event.now + timer.timing.p2StarMs, pendingCount: timer.pendingCount + 1 }
  return { state: 'answered', response: event.frame, pendingCount: timer.pendingCount }
}
