import { describe, expect, it } from 'vitest'
import { Rollout, Thresholds, Wave } from '../../shared/fleet/jobs'
import { notificationBudget, ratePerMinute } from './rate'
import { evaluateWave } from './thresholds'
import { planWaves } from './wave-plan'

const waves = (...sizes: object[]) => sizes.map((size) => Wave.parse({ size }))
const t = Thresholds.parse({ advanceAtSuccessPercent: 80, failure: { percent: 10, minFinished: 20, action: 'pause' } })

describe('wave plans', () => {
  it('sizes waves by count and percent, the last taking the rest', () => {
    expect(planWaves(500, waves({ count: 10 }, { percent: 20 }, { percent: 100 }))).toEqual([10, 100, 390])
    expect(planWaves(5, waves({ count: 10 }, { percent: 50 }))).toEqual([5, 0])
    expect(planWaves(3, waves({ percent: 1 }, { percent: 50 }))).toEqual([1, 2])
    expect(planWaves(0, waves({ count: 1 }, { percent: 50 }))).toEqual([0, 0])
  })
})

describe('wave thresholds', () => {
  const counts = (succeeded: number, failed: number, finished: number, size = 100) => ({ wave: 2, size, succeeded, failed, finished })
  it('continues below both thresholds', () => expect(evaluateWave(counts(50, 1, 51), t)).toEqual({ kind: 'continue' }))
  it('advances once the success share of the wave is reached', () => expect(evaluateWave(counts(80, 0, 80), t)).toEqual({ kind: 'advance' }))
  it('advances an empty wave', () => expect(evaluateWave(counts(0, 0, 0, 0), t)).toEqual({ kind: 'advance' }))
  it('does not judge failures before enough executions finished', () => expect(evaluateWave(counts(10, 9, 19), t)).toEqual({ kind: 'continue' }))
  it('pauses when failures reach the threshold, saying why in words', () =>
    expect(evaluateWave(counts(18, 2, 20), t)).toEqual({ kind: 'pause', reason: 'wave 2: 2 of 20 finished executions failed (10%, threshold 10%)' }))
  it('aborts instead when so configured, even past the success share', () =>
    expect(evaluateWave(counts(85, 15, 100), { ...t, failure: { ...t.failure, action: 'abort' } })).toEqual({
      kind: 'abort',
      reason: 'wave 2: 15 of 100 finished executions failed (15%, threshold 10%)'
    }))
})

describe('rollout rate', () => {
  const rollout = Rollout.parse({ waves: [{ size: { percent: 100 } }], maxInFlight: 50, rate: { perMinute: 60, factor: 2, everySuccesses: 10 } })
  it('grows the rate by the factor after each n successes', () => {
    expect([0, 9, 10, 25, 30].map((s) => ratePerMinute(rollout.rate!, s))).toEqual([60, 60, 120, 240, 480])
  })
  it('notifies at the rate, carrying fractions, within in-flight and queue limits', () => {
    expect(notificationBudget({ rollout, inFlight: 0, queued: 100, succeeded: 0, elapsedMs: 500, carried: 0 })).toEqual({ notify: 0, carried: 0.5 })
    expect(notificationBudget({ rollout, inFlight: 0, queued: 100, succeeded: 0, elapsedMs: 500, carried: 0.5 })).toEqual({ notify: 1, carried: 0 })
    expect(notificationBudget({ rollout, inFlight: 49, queued: 100, succeeded: 0, elapsedMs: 60_000, carried: 0 }).notify).toBe(1)
    expect(notificationBudget({ rollout, inFlight: 0, queued: 3, succeeded: 0, elapsedMs: 60_000, carried: 0 }).notify).toBe(3)
    const noRate = Rollout.parse({ waves: [{ size: { percent: 100 } }], maxInFlight: 5 })
    expect(notificationBudget({ rollout: noRate, inFlight: 2, queued: 100, succeeded: 0, elapsedMs: 0, carried: 0 })).toEqual({ notify: 3, carried: 0 })
  })
})
