import { describe, expect, it } from 'vitest'
import { ExecutionState } from '../../shared/fleet/jobs'
import { eventOfProgress, nextExecutionState, type ExecutionEvent } from './execution-machine'

const ok = (state: string) => ({ ok: true, state })
const step = (s: string) => ({ kind: 'step', step: s }) as ExecutionEvent

describe('the execution state machine', () => {
  it.each([
    ['queued', { kind: 'notify' }, 'notified'],
    ['queued', { kind: 'cancel' }, 'canceled'],
    ['notified', { kind: 'cancel' }, 'canceled'],
    ['notified', { kind: 'consent', accepted: true }, 'accepted'],
    ['notified', { kind: 'consent', accepted: false }, 'rejected'],
    ['notified', { kind: 'defer', until: '2026-12-01T00:00:00.000Z' }, 'notified'],
    ['notified', step('downloading'), 'downloading'],
    ['accepted', step('downloading'), 'downloading'],
    ['downloading', step('downloading'), 'downloading'],
    ['downloading', step('verifying'), 'verifying'],
    ['verifying', step('decompressing'), 'verifying'],
    ['verifying', step('installing'), 'installing'],
    ['installing', step('rebooting'), 'rebooting'],
    ['rebooting', step('done'), 'succeeded'],
    ['downloading', step('failed'), 'failed'],
    ['installing', step('failed'), 'failed'],
    ['notified', { kind: 'timeout' }, 'timed_out'],
    ['installing', { kind: 'timeout' }, 'timed_out'],
    ['installing', { kind: 'canceled-by-vehicle' }, 'canceled'],
    ['failed', { kind: 'retry' }, 'queued'],
    ['timed_out', { kind: 'retry' }, 'queued'],
    ['succeeded', step('done'), 'succeeded'],
    ['failed', step('failed'), 'failed']
  ] as [string, ExecutionEvent, string][])('%s + %o → %s', (from, event, expected) => {
    expect(nextExecutionState(ExecutionState.parse(from), event)).toEqual(ok(expected))
  })

  it.each([
    ['queued', step('downloading'), 'step downloading is not allowed from queued'],
    ['queued', { kind: 'timeout' }, 'timeout is not allowed from queued'],
    ['installing', step('downloading'), 'step downloading is not allowed from installing'],
    ['downloading', { kind: 'cancel' }, 'cancel is not allowed from downloading'],
    ['downloading', { kind: 'consent', accepted: true }, 'consent is not allowed from downloading'],
    ['notified', { kind: 'notify' }, 'notify is not allowed from notified'],
    ['succeeded', step('failed'), 'step failed is not allowed from succeeded'],
    ['succeeded', { kind: 'retry' }, 'retry is not allowed from succeeded'],
    ['rejected', { kind: 'retry' }, 'retry is not allowed from rejected'],
    ['canceled', { kind: 'notify' }, 'notify is not allowed from canceled'],
    ['downloading', { kind: 'retry' }, 'retry is not allowed from downloading'],
    ['accepted', { kind: 'defer', until: '2026-12-01T00:00:00.000Z' }, 'defer is not allowed from accepted']
  ] as [string, ExecutionEvent, string][])('refuses %s + %o', (from, event, reason) => {
    expect(nextExecutionState(ExecutionState.parse(from), event)).toEqual({ ok: false, reason })
  })

  it('holds a deferral between now and a week ahead; one without a time waits an hour', () => {
    const now = Date.parse('2026-11-29T00:00:00Z')
    expect(eventOfProgress('deferred', '2026-11-29T02:00:00.000Z', now)).toEqual({ kind: 'defer', until: '2026-11-29T02:00:00.000Z' })
    expect(eventOfProgress('deferred', '2027-06-01T00:00:00.000Z', now)).toEqual({ kind: 'defer', until: '2026-12-06T00:00:00.000Z' })
    expect(eventOfProgress('deferred', '2020-01-01T00:00:00.000Z', now)).toEqual({ kind: 'defer', until: '2026-11-29T00:00:00.000Z' })
    expect(eventOfProgress('deferred', undefined, now)).toEqual({ kind: 'defer', until: '2026-11-29T01:00:00.000Z' })
  })

  it('in a job with a health window, holds an installed execution in monitoring until the verdict; a failure reported meanwhile fails it', () => {
    const monitored = (from: string, event: ExecutionEvent) => nextExecutionState(ExecutionState.parse(from), event, true)
    expect(monitored('rebooting', step('done'))).toEqual({ ok: true, state: 'monitoring' })
    expect(monitored('downloading', step('done'))).toEqual({ ok: true, state: 'monitoring' })
    expect(monitored('monitoring', step('done'))).toEqual({ ok: true, state: 'monitoring' })
    expect(monitored('monitoring', step('failed'))).toEqual({ ok: true, state: 'failed' })
    expect(monitored('monitoring', { kind: 'health', healthy: true })).toEqual({ ok: true, state: 'succeeded' })
    expect(monitored('monitoring', { kind: 'health', healthy: false })).toEqual({ ok: true, state: 'failed' })
    // The install is over: no timeout, no cancel, no going back to an earlier step.
    expect(monitored('monitoring', { kind: 'timeout' })).toEqual({ ok: false, reason: 'timeout is not allowed from monitoring' })
    expect(monitored('monitoring', { kind: 'cancel' })).toEqual({ ok: false, reason: 'cancel is not allowed from monitoring' })
    expect(monitored('monitoring', step('installing'))).toEqual({ ok: false, reason: 'step installing is not allowed from monitoring' })
    // A report after the window closed changes nothing; without a window, done is success at once.
    expect(monitored('succeeded', step('failed'))).toEqual({ ok: false, reason: 'step failed is not allowed from succeeded' })
    expect(monitored('queued', step('done'))).toEqual({ ok: false, reason: 'step done is not allowed from queued' })
    expect(nextExecutionState('rebooting', step('done'))).toEqual({ ok: true, state: 'succeeded' })
    expect(nextExecutionState('installing', { kind: 'health', healthy: true })).toEqual({ ok: false, reason: 'health is not allowed from installing' })
  })
})
