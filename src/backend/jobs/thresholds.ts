import type { Thresholds } from '../../shared/fleet/jobs'

export interface WaveCounts {
  wave: number
  size: number
  succeeded: number
  /** failed and timed out: what counts against the failure threshold */
  failed: number
  /** every execution that reached a terminal state (rejected and canceled included) */
  finished: number
}

export type WaveVerdict = { kind: 'continue' } | { kind: 'advance' } | { kind: 'pause' | 'abort'; reason: string }

const pct = (n: number) => `${Math.round(n * 10) / 10}%`

/**
 * Whether a wave may go on, may start the next, or trips the failure threshold. Failures are a
 * share of the executions that have finished, judged once at least minFinished have.
 */
export function evaluateWave(c: WaveCounts, t: Thresholds): WaveVerdict {
  if (c.finished >= t.failure.minFinished && c.finished > 0) {
    const failedShare = (100 * c.failed) / c.finished
    if (failedShare >= t.failure.percent) {
      return {
        kind: t.failure.action,
        reason: `wave ${c.wave}: ${c.failed} of ${c.finished} finished executions failed (${pct(failedShare)}, threshold ${pct(t.failure.percent)})`
      }
    }
  }
  if (c.size === 0 || (100 * c.succeeded) / c.size >= t.advanceAtSuccessPercent) return { kind: 'advance' }
  return { kind: 'continue' }
}
