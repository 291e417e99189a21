import { describe, expect, it } from 'vitest'
import { DEFAULT_UDS_TIMING, type PendingTimer, startPendingTimer, stepPendingTimer } from './pending-timer'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('pending timer (P2 / P2*)', () => {
  it('waits P2 for the first answer', () => {
    const timer = startPendingTimer(0x31, 1000)
    expect(timer).toMatchObject({ state: 'waiting', deadline: 1000 + DEFAULT_UDS_TIMING.p2Ms })
    expect(stepPendingTimer(timer, { type: 'tick', now: 1049 })).toBe(timer)
    expect(stepPendingTimer(timer, { type: 'tick', now: 1050 })).toEqual({ state: 'timedOut', pendingCount: 0 })
  })

  it('extends to P2* on each response pending, then takes the final answer', () => {
    let timer: PendingTimer = startPendingTimer(0x31, 0, { p2Ms: 50, p2StarMs: 5000 })
    timer = stepPendingTimer(timer, { type: 'frame', frame: hex('7F 31 78'), now: 40 })
    expect(timer).toMatchObject({ state: 'waiting', deadline: 5040, pendingCount: 1 })
    timer = stepPendingTimer(timer, { type: 'tick', now: 5000 })
    timer = stepPendingTimer(timer, { type: 'frame', frame: hex('7F 31 78'), now: 5000 })
    expect(timer).toMatchObject({ state: 'waiting', deadline: 10000, pendingCount: 2 })
    timer = stepPendingTimer(timer, { type: 'frame', frame: hex('71 01 FF 00 00'), now: 9000 })
    expect(timer).toEqual({ state: 'answered', response: hex('71 01 FF 00 00'), pendingCount: 2 })
    expect(stepPendingTimer(timer, { type: 'tick', now: 20000 })).toBe(timer)
  })

  it('ends with a negative answer other than response pending', () => {
    const timer = stepPendingTimer(startPendingTimer(0x27, 0), { type: 'frame', frame: hex('7F 27 35'), now: 10 })
    expect(timer).toEqual({ state: 'answered', response: hex('7F 27 35'), pendingCount: 0 })
  })

  it('ignores frames of other services, even their response pending', () => {
    const timer = startPendingTimer(0x22, 0)
    expect(stepPendingTimer(timer, { type: 'frame', frame: hex('7E 00'), now: 10 })).toBe(timer)
    expect(stepPendingTimer(timer, { type: 'frame', frame: hex('7F 31 78'), now: 10 })).toBe(timer)
  })

  it('times out after P2* when the server stays busy, and drops a late answer', () => {
    let timer = stepPendingTimer(startPendingTimer(0x34, 0), { type: 'frame', frame: hex('7F 34 78'), now: 10 })
    timer = stepPendingTimer(timer, { type: 'frame', frame: hex('74 20 0F FA'), now: 5010 })
    expect(timer).toEqual({ state: 'timedOut', pendingCount: 1 })
  })
})
