import { describe, expect, it } from 'vitest'
import { DtcMemory, type DtcDefinition } from './dtc-memory'

const environment = (at: number) => ({ odometerKm: 1000 + Math.floor(at / 1000), batteryMv: 12_600 })
const memory = (definitions: DtcDefinition[], seed = 7) => new DtcMemory({ definitions, seed, cycleMs: 1000, startedAt: 0, environment })
const always = { dtc: 0xc10000, failChance: 1, warning: true, testAt: 0.5 }
const never = { dtc: 0x012300, failChance: 0, warning: false, testAt: 0.5 }
const status = (m: DtcMemory, dtc: number, at: number) => m.record(dtc, at)!.status

describe('DTC memory: status bits that evolve with operation cycles (ISO 14229-1 Annex D)', () => {
  it('walks a permanent fault from not tested to pending, confirmed and the warning lamp', () => {
    const m = memory([always, never])
    expect(status(m, always.dtc, 0)).toBe(0x50) // not completed since clear / this cycle
    expect(status(m, always.dtc, 600)).toBe(0x27) // testFailed, thisCycle, pending, sinceClear
    expect(status(m, never.dtc, 600)).toBe(0x00)
    expect(status(m, always.dtc, 1000)).toBe(0x65) // a new cycle: not completed this cycle, still pending
    expect(status(m, always.dtc, 1600)).toBe(0x27)
    expect(status(m, always.dtc, 2000)).toBe(0xed) // failed two cycles running: confirmed, and the lamp is on
    expect(status(m, never.dtc, 2000)).toBe(0x40)
    expect(m.record(always.dtc, 2000)).toMatchObject({ occurrences: 2, firstFailure: { odometerKm: 1000 }, latestFailure: { odometerKm: 1001 } })
  })

  it('clears to "not completed" and records again; with recording off the bits freeze', () => {
    const m = memory([always, never])
    status(m, always.dtc, 2200)
    expect(m.clear(0x999999, 2200)).toBe(false)
    expect(m.clear(always.dtc, 2200)).toBe(true)
    expect(m.record(always.dtc, 2200)).toMatchObject({ status: 0x50, occurrences: 0 })
    expect(m.record(always.dtc, 2200)!.firstFailure).toBeUndefined()
    expect(status(m, never.dtc, 2200)).toBe(0x40)
    expect(status(m, always.dtc, 2600)).toBe(0x27)
    m.setRecording(false, 2700)
    expect(status(m, always.dtc, 9900)).toBe(0x27)
    m.setRecording(true, 9900)
    expect(status(m, always.dtc, 10_000)).toBe(0x65)
    m.clear(undefined, 10_000)
    expect(m.records(10_000).map((r) => r.status)).toEqual([0x50, 0x50])
  })

  it('clears pending after a passing cycle and keeps confirmed (seeded monitor, 400 cycles)', () => {
    const intermittent = { dtc: 0x9abc11, failChance: 0.5, warning: false, testAt: 0.3 }
    const m = memory([intermittent], 12345)
    let consecutive = 0
    let confirmed = false
    for (let cycle = 0; cycle < 400; cycle++) {
      const failed = (status(m, intermittent.dtc, cycle * 1000 + 500) & 0x02) !== 0
      consecutive = failed ? consecutive + 1 : 0
      if (consecutive >= 2) confirmed = true
      const after = status(m, intermittent.dtc, (cycle + 1) * 1000)
      expect((after & 0x04) !== 0, `pending after cycle ${cycle}`).toBe(failed)
      expect((after & 0x08) !== 0, `confirmed after cycle ${cycle}`).toBe(confirmed)
    }
    expect(confirmed).toBe(true)
    expect(m.record(intermittent.dtc, 400_000)!.occurrences).toBeGreaterThan(100)
  })

  it('ages a confirmed fault out after forty passing cycles', () => {
    const repaired = { ...always, warning: false }
    const m = new DtcMemory({ definitions: [repaired], seed: 1, cycleMs: 1000, startedAt: 0, environment, monitor: (_d, cycle) => cycle < 2 })
    expect(status(m, repaired.dtc, 2000)).toBe(0x6d)
    expect(status(m, repaired.dtc, 41_000)).toBe(0x68) // 39 passing cycles: still confirmed, no longer pending
    expect(m.record(repaired.dtc, 41_000)!.agingCounter).toBe(39)
    expect(status(m, repaired.dtc, 42_000)).toBe(0x60) // the fortieth ages it out; it failed since the last clear
  })
})
