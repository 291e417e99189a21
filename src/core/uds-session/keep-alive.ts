import type { UdsRequester } from '../../shared/uds-client'
import { SESSION } from '../../shared/uds'

/** 3E 80: tester present with the positive response suppressed. */
const TESTER_PRESENT = Uint8Array.of(0x3e, 0x80)

/** S3 is 5 s on most ECUs; testers speak up every 2 s. */
export const KEEP_ALIVE_MS = 2000

/**
 * Tester present for every ECU in a non-default session: sent only when the ECU has heard
 * nothing else for the interval (any request restarts its S3), so a busy flash sends none.
 */
export function createKeepAlive(requester: UdsRequester, options: { intervalMs?: number; onError?(target: number, err: Error): void } = {}) {
  const intervalMs = options.intervalMs ?? KEEP_ALIVE_MS
  const timers = new Map<number, NodeJS.Timeout>()

  const arm = (target: number) => {
    clearTimeout(timers.get(target))
    const timer = setTimeout(() => {
      requester.request(target, TESTER_PRESENT).then(
        () => timers.get(target) === timer && arm(target),
        (err: Error) => {
          if (timers.get(target) !== timer) return
          stop(target)
          options.onError?.(target, err)
        }
      )
    }, intervalMs)
    timers.set(target, timer)
  }
  const stop = (target: number) => {
    clearTimeout(timers.get(target))
    timers.delete(target)
  }

  return {
    /** A request is going to `target`: its S3 starts again, so the next tester present can wait. */
    touch: (target: number) => timers.has(target) && arm(target),
    /** The ECU confirmed a session change; a reset means the default session. */
    sessionChanged: (target: number, session: number) => (session === SESSION.default ? stop(target) : arm(target)),
    stop,
    active: () => [...timers.keys()],
    stopAll: () => [...timers.keys()].forEach(stop)
  }
}
