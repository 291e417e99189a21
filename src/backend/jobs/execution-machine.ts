import type { ExecutionState } from '../../shared/fleet/jobs'
import type { UpdateProgress } from '../../shared/protocol/messages'

/** What can happen to one vehicle's execution: the engine's acts, and the vehicle's reports. */
export type ExecutionEvent =
  | { kind: 'notify' }
  | { kind: 'timeout' }
  | { kind: 'cancel' }
  | { kind: 'retry' }
  | { kind: 'consent'; accepted: boolean }
  /** The driver postponed a soft update: still notified, offered again after `until`. */
  | { kind: 'defer'; until: string }
  | { kind: 'step'; step: keyof typeof STEP_STATE }
  | { kind: 'canceled-by-vehicle' }
  /** The health window of an installed execution closed: healthy, or not (the cause says why). */
  | { kind: 'health'; healthy: boolean }

const ORDER: Partial<Record<ExecutionState, number>> = {
  queued: 0,
  notified: 1,
  accepted: 2,
  downloading: 3,
  verifying: 4,
  installing: 5,
  rebooting: 6,
  monitoring: 7
}
const TERMINAL = new Set<ExecutionState>(['rejected', 'succeeded', 'failed', 'timed_out', 'canceled'])

/** A vehicle's progress step as an execution state ("decompressing" is part of verifying the image). */
const STEP_STATE: Record<Exclude<UpdateProgress['step'], 'accepted' | 'rejected' | 'deferred' | 'canceled'>, ExecutionState> = {
  downloading: 'downloading',
  verifying: 'verifying',
  decompressing: 'verifying',
  installing: 'installing',
  rebooting: 'rebooting',
  done: 'succeeded',
  failed: 'failed'
}

export type Transition = { ok: true; state: ExecutionState } | { ok: false; reason: string }

const to = (state: ExecutionState): Transition => ({ ok: true, state })
const refuse = (from: ExecutionState, event: ExecutionEvent): Transition => ({
  ok: false,
  reason: `${event.kind === 'step' ? `step ${event.step}` : event.kind} is not allowed from ${from}`
})

/**
 * The execution state machine, pure. Vehicle reports may skip states but never go back; a
 * repeated report (a QoS 1 redelivery, a percentage update) keeps the state; a finished
 * execution changes only by an operator's retry. In a job with a health window (`monitored`),
 * "done" means installed: the execution is monitored until the window's verdict, and a failure
 * the vehicle reports meanwhile (a self-test, a rollback, a DTC) fails it.
 */
export function nextExecutionState(from: ExecutionState, event: ExecutionEvent, monitored = false): Transition {
  if (from === 'monitoring') {
    if (event.kind === 'health') return to(event.healthy ? 'succeeded' : 'failed')
    if (event.kind === 'step') return event.step === 'failed' ? to('failed') : event.step === 'done' ? to('monitoring') : refuse(from, event)
    return refuse(from, event)
  }
  if (event.kind === 'health') return refuse(from, event)
  if (event.kind === 'step' && event.step === 'done' && monitored && !TERMINAL.has(from)) return from === 'queued' ? refuse(from, event) : to('monitoring')
  if (TERMINAL.has(from)) {
    if (event.kind === 'retry' && (from === 'failed' || from === 'timed_out')) return to('queued')
    if (event.kind === 'step' && STEP_STATE[event.step] === from) return to(from)
    return refuse(from, event)
  }
  switch (event.kind) {
    case 'notify':
      return from === 'queued' ? to('notified') : refuse(from, event)
    case 'cancel':
      // Only what has not started is canceled outright; a running install is told to stop.
      return from === 'queued' || from === 'notified' ? to('canceled') : refuse(from, event)
    case 'timeout':
      return from === 'queued' ? refuse(from, event) : to('timed_out')
    case 'retry':
      return refuse(from, event)
    case 'canceled-by-vehicle':
      return to('canceled')
    case 'defer':
      return from === 'notified' ? to('notified') : refuse(from, event)
    case 'consent':
      if (from !== 'notified') return refuse(from, event)
      return to(event.accepted ? 'accepted' : 'rejected')
    case 'step': {
      const next = STEP_STATE[event.step]
      if (from === 'queued') return refuse(from, event)
      if (TERMINAL.has(next)) return to(next)
      return (ORDER[next] ?? 0) >= (ORDER[from] ?? 0) ? to(next) : refuse(from, event)
    }
  }
}

/** A vehicle's progress report as an event of its execution. */
const MAX_DEFERRAL_MS = 7 * 24 * 3_600_000

export function eventOfProgress(step: UpdateProgress['step'], deferUntil?: string, now = Date.now()): ExecutionEvent {
  if (step === 'accepted' || step === 'rejected') return { kind: 'consent', accepted: step === 'accepted' }
  if (step === 'deferred') {
    // A deferral without a time, or beyond a week, is held to what the fleet can wait.
    const wanted = deferUntil ? Date.parse(deferUntil) : now + 3_600_000
    return { kind: 'defer', until: new Date(Math.min(Math.max(wanted, now), now + MAX_DEFERRAL_MS)).toISOString() }
  }
  if (step === 'canceled') return { kind: 'canceled-by-vehicle' }
  return { kind: 'step', step }
}
