import { DTC_STATUS_MASK as BIT } from '../../shared/uds'
import { seeded } from '../random'

/**
 * An ECU's fault memory. Each DTC has a monitor that runs once per operation cycle and finds its
 * fault with some chance; the status bits follow ISO 14229-1 Annex D from those results: failed
 * in two cycles in a row confirms a DTC, a cycle that passes clears pending, forty passing
 * cycles age a confirmed DTC out. The state is computed lazily from the clock, so reading it at
 * any time gives the same answer as if the ECU had been stepping all along.
 */

export interface DtcDefinition {
  dtc: number
  /** Chance that the monitor finds the fault in one operation cycle. */
  failChance: number
  /** A confirmed fault of this DTC lights the warning lamp. */
  warning: boolean
  /** When in each cycle the monitor runs, as a fraction of the cycle. */
  testAt: number
}

/** What the ECU records when a DTC fails: the first and the latest occurrence (snapshot records 01 and 02). */
export interface DtcEnvironment {
  odometerKm: number
  batteryMv: number
}

export interface DtcMemoryOptions {
  definitions: readonly DtcDefinition[]
  seed: number
  cycleMs: number
  /** When the first operation cycle began; earlier than now gives the ECU a history. */
  startedAt: number
  environment: (at: number) => DtcEnvironment
  /** Whether the monitor finds the fault in a cycle; by default a seeded draw against failChance. */
  monitor?: (definition: DtcDefinition, cycle: number) => boolean
}

export interface DtcRecord {
  dtc: number
  status: number
  /** Cycles in which the fault was found since the last clear (extended data record 01). */
  occurrences: number
  /** Passing cycles since the fault was last found (extended data record 02). */
  agingCounter: number
  firstFailure?: DtcEnvironment
  latestFailure?: DtcEnvironment
}

const CONFIRMATION_CYCLES = 2
const AGING_CYCLES = 40
/** A clock that jumped this many cycles ahead skips to the last few hundred: older history has aged out anyway. */
const MAX_REPLAY_CYCLES = 5000
const CLEARED = BIT.testNotCompletedSinceLastClear | BIT.testNotCompletedThisOperationCycle

interface DtcState extends DtcRecord {
  testedThisCycle: boolean
  failedThisCycle: boolean
  consecutiveFailedCycles: number
}

const fresh = (dtc: number): DtcState => ({ dtc, status: CLEARED, occurrences: 0, agingCounter: 0, testedThisCycle: false, failedThisCycle: false, consecutiveFailedCycles: 0 })

export class DtcMemory {
  private readonly states: DtcState[]
  private processedAt: number
  private recording = true

  constructor(private readonly options: DtcMemoryOptions) {
    this.states = options.definitions.map((d) => fresh(d.dtc))
    this.processedAt = options.startedAt
  }

  /** Every DTC the ECU supports with its status now. */
  records(now: number): DtcRecord[] {
    this.advanceTo(now)
    return this.states.map((state, i) => {
      const warning = this.options.definitions[i]!.warning && state.status & BIT.confirmedDTC && state.status & BIT.pendingDTC
      const { testedThisCycle: _t, failedThisCycle: _f, consecutiveFailedCycles: _c, ...record } = state
      return { ...record, status: warning ? state.status | BIT.warningIndicatorRequested : state.status }
    })
  }

  record(dtc: number, now: number): DtcRecord | undefined {
    return this.records(now).find((r) => r.dtc === dtc)
  }

  /** 0x14: `dtc` undefined clears all; false when the ECU has no such DTC. */
  clear(dtc: number | undefined, now: number): boolean {
    this.advanceTo(now)
    const indexes = this.states.flatMap((s, i) => (dtc === undefined || s.dtc === dtc ? [i] : []))
    for (const i of indexes) this.states[i] = fresh(this.states[i]!.dtc)
    return indexes.length > 0
  }

  /** 0x85: while off the monitors record nothing and the status bits stay as they were. */
  setRecording(on: boolean, now: number): void {
    if (on === this.recording) return
    if (on) this.processedAt = Math.max(this.processedAt, now)
    else this.advanceTo(now)
    this.recording = on
  }

  private cycleStart(cycle: number): number {
    return this.options.startedAt + cycle * this.options.cycleMs
  }

  private advanceTo(t: number): void {
    if (!this.recording) return
    const { cycleMs, startedAt, definitions } = this.options
    if ((t - this.processedAt) / cycleMs > MAX_REPLAY_CYCLES) this.processedAt = this.cycleStart(Math.floor((t - startedAt) / cycleMs) - AGING_CYCLES * 10)
    while (this.processedAt < t) {
      const cycle = Math.floor((this.processedAt - startedAt) / cycleMs)
      const end = this.cycleStart(cycle + 1)
      const until = Math.min(t, end)
      definitions.forEach((definition, i) => {
        const testTime = this.cycleStart(cycle) + definition.testAt * cycleMs
        if (testTime > this.processedAt && testTime <= until) this.runTest(this.states[i]!, definition, cycle, testTime)
      })
      if (end <= t) this.states.forEach((state) => this.endCycle(state))
      this.processedAt = until
    }
  }

  private seededMonitor(definition: DtcDefinition, cycle: number): boolean {
    return seeded((this.options.seed ^ Math.imul(definition.dtc, 0x9e3779b1) ^ Math.imul(cycle + 1, 0x85ebca77)) >>> 0).next() < definition.failChance
  }

  private runTest(state: DtcState, definition: DtcDefinition, cycle: number, at: number): void {
    const failed = this.options.monitor ? this.options.monitor(definition, cycle) : this.seededMonitor(definition, cycle)
    state.testedThisCycle = true
    state.status &= ~(BIT.testNotCompletedThisOperationCycle | BIT.testNotCompletedSinceLastClear | BIT.testFailed)
    if (!failed) return
    state.status |= BIT.testFailed | BIT.testFailedThisOperationCycle | BIT.pendingDTC | BIT.testFailedSinceLastClear
    if (!state.failedThisCycle) state.occurrences++
    state.failedThisCycle = true
    state.agingCounter = 0
    const environment = this.options.environment(at)
    state.firstFailure ??= environment
    state.latestFailure = environment
  }

  private endCycle(state: DtcState): void {
    if (state.testedThisCycle && state.failedThisCycle) {
      state.consecutiveFailedCycles++
      if (state.consecutiveFailedCycles >= CONFIRMATION_CYCLES) state.status |= BIT.confirmedDTC
    } else if (state.testedThisCycle) {
      state.consecutiveFailedCycles = 0
      state.status &= ~BIT.pendingDTC
      if (state.status & BIT.testFailedSinceLastClear) state.agingCounter = Math.min(255, state.agingCounter + 1)
      if (state.agingCounter >= AGING_CYCLES) state.status &= ~BIT.confirmedDTC
    }
    state.status = (state.status & ~BIT.testFailedThisOperationCycle) | BIT.testNotCompletedThisOperationCycle
    state.testedThisCycle = false
    state.failedThisCycle = false
  }
}
