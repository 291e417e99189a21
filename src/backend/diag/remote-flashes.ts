import { randomBytes } from 'node:crypto'
import type { RemoteFlashEvent, RemoteFlashState, RemoteFlashView } from '../../shared/fleet/diag-relay'
import type { FlashProgressReport, FlashRequest } from '../../shared/protocol/messages'
import type { TopicName } from '../../shared/protocol/topics'

type Publish = (name: TopicName, vin: string, message: unknown) => Promise<unknown>

export interface FlashTimers {
  /** The vehicle must report within this after the request, else it is taken for offline. */
  ackMs: number
  /** A running flash that reports nothing for this long has failed. */
  stallMs: number
}

const DEFAULT_TIMERS: FlashTimers = { ackMs: 15_000, stallMs: 60_000 }
/** Progress events kept per flash; the newest win (steps and the end are few, transfer reports many). */
const MAX_EVENTS = 500
/** Finished flashes kept for late readers. */
const MAX_FLASHES = 1000

interface Flash {
  view: Omit<RemoteFlashView, 'events' | 'lastSeq'>
  events: RemoteFlashEvent[]
  lastSeq: number
  watchdog?: NodeJS.Timeout
  waiters: Set<() => void>
}

export interface StartedFlash {
  vin: string
  ecu: string
  targetAddress: number
  releaseId: string
  version: string
  requestedBy: string
  offer: Extract<FlashRequest, { action: 'start' }>['offer']
}

const terminal = (state: RemoteFlashState) => state === 'succeeded' || state === 'failed' || state === 'aborted'

/**
 * Remote flashes the backend asked gateways to run: what each vehicle reported, kept in memory
 * for the console to follow by long poll; a vehicle that never answers, or stops reporting,
 * fails the flash with a reason. `onEnd` is told once of each flash's end.
 */
export function createRemoteFlashes(deps: { publish: Publish; onEnd?(flash: RemoteFlashView): Promise<void>; log(line: string): void; timers?: Partial<FlashTimers> }) {
  const timers = { ...DEFAULT_TIMERS, ...deps.timers }
  const flashes = new Map<string, Flash>()

  const snapshot = (flash: Flash, after: number): RemoteFlashView => ({ ...flash.view, events: flash.events.filter((e) => e.seq > after), lastSeq: flash.lastSeq })
  const wake = (flash: Flash) => {
    for (const waiter of flash.waiters) waiter()
    flash.waiters.clear()
  }
  const end = (flash: Flash, state: RemoteFlashState, detail: string | null) => {
    if (terminal(flash.view.state)) return
    clearTimeout(flash.watchdog)
    flash.view = { ...flash.view, state, detail, finishedAt: new Date().toISOString() }
    wake(flash)
    deps.onEnd?.(snapshot(flash, flash.lastSeq)).catch((err: Error) => deps.log(`flash ${flash.view.id}: ${err.message}`))
  }
  const watch = (flash: Flash, ms: number, why: string) => {
    clearTimeout(flash.watchdog)
    flash.watchdog = setTimeout(() => end(flash, 'failed', why), ms)
  }
  const prune = () => {
    for (const [id, flash] of flashes) {
      if (flashes.size <= MAX_FLASHES) return
      if (terminal(flash.view.state)) flashes.delete(id)
    }
  }

  return {
    async start(input: StartedFlash): Promise<RemoteFlashView> {
      const id = `fls_${randomBytes(8).toString('hex')}`
      const { offer, ...rest } = input
      const flash: Flash = {
        view: { id, ...rest, state: 'requested', requestedAt: new Date().toISOString(), finishedAt: null, detail: null, versionBefore: null, versionAfter: null },
        events: [],
        lastSeq: 0,
        waiters: new Set()
      }
      flashes.set(id, flash)
      prune()
      const now = Date.now()
      const request: FlashRequest = {
        action: 'start',
        correlationId: id,
        targetAddress: input.targetAddress,
        ecu: input.ecu,
        offer,
        securityLevel: 1,
        expiresAt: new Date(now + timers.ackMs).toISOString(),
        at: new Date(now).toISOString()
      }
      watch(flash, timers.ackMs, `vehicle ${input.vin} did not take up the flash within ${timers.ackMs / 1000} s: it is offline or not answering`)
      await deps.publish('flashRequest', input.vin, request)
      return snapshot(flash, 0)
    },

    get: (id: string) => flashes.get(id),

    /** The flash with the events after `after`; waits up to waitMs for one when there is none yet. */
    async view(id: string, after: number, waitMs: number): Promise<RemoteFlashView | undefined> {
      const flash = flashes.get(id)
      if (!flash) return undefined
      if (flash.lastSeq <= after && !terminal(flash.view.state) && waitMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, waitMs)
          function done() {
            clearTimeout(timer)
            flash!.waiters.delete(done)
            resolve()
          }
          flash.waiters.add(done)
        })
      }
      return snapshot(flash, after)
    },

    async abort(id: string): Promise<RemoteFlashView | undefined> {
      const flash = flashes.get(id)
      if (!flash) return undefined
      if (!terminal(flash.view.state))
        await deps.publish('flashRequest', flash.view.vin, { action: 'abort', correlationId: id, at: new Date().toISOString() } satisfies FlashRequest)
      return snapshot(flash, flash.lastSeq)
    },

    /** A flashProgress from a vehicle; one for a flash of another vehicle is ignored. */
    onProgress(vin: string, report: FlashProgressReport) {
      const flash = flashes.get(report.correlationId)
      if (!flash || flash.view.vin !== vin || terminal(flash.view.state)) return
      const { correlationId: _id, ...progress } = report
      flash.lastSeq++
      flash.events.push({ seq: flash.lastSeq, progress })
      if (flash.events.length > MAX_EVENTS) flash.events.splice(0, flash.events.length - MAX_EVENTS)
      if (report.versionBefore !== undefined) flash.view = { ...flash.view, versionBefore: report.versionBefore }
      if (report.versionAfter) flash.view = { ...flash.view, versionAfter: report.versionAfter }
      if (report.state === 'running') {
        flash.view = { ...flash.view, state: 'running' }
        watch(flash, timers.stallMs, `vehicle ${vin} reported nothing for ${timers.stallMs / 1000} s during ${report.step}`)
        wake(flash)
      } else end(flash, report.state, report.detail ?? null)
    },

    close() {
      for (const flash of flashes.values()) clearTimeout(flash.watchdog)
    }
  }
}
