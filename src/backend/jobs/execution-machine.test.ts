import { describe, expect, it } from 'vitest'
import { ExecutionState } from '../../shared/fleet/jobs'
import { nextExecutionState, type ExecutionEvent } from './execution-machine'

const ok = (state: string) => ({ ok: true, state })
const step = (s: string) => ({ kind: 'step', step: s }) as ExecutionEvent

describe('the execution state machine', () => {
  it.each([
    ['queued', { kind: 'notify' }, 'notified'],
    ['queued', { kind: 'cancel' }, 'canceled'],
    ['notified', { kind: 'cancel' }, 'canceled'],
    ['notified', { kind: 'consent', accepted: true }, 'accepted'],
    ['notified', { kind: 'consent', accepted: false }, 'rejected'],
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
    ['downloading', { kind: 'retry' }, 'retry is not allowed from downloading']
  ] as [string, ExecutionEvent, string][])('refuses %s + %o', (from, event, reason) => {
    expect(nextExecutionState(ExecutionState.parse(from), event)).toEqual({ ok: false, reason })
  })
})
