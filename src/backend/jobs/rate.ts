import type { Rollout } from '../../shared/fleet/jobs'

/** Notifications a minute allowed now: the exponential rate grows with successes. */
export function ratePerMinute(rate: NonNullable<Rollout['rate']>, succeeded: number): number {
  return rate.perMinute * rate.factor ** Math.floor(succeeded / rate.everySuccesses)
}

/**
 * How many vehicles to notify in this tick: bounded by the in-flight limit, by what is queued,
 * and by the rate (a fractional budget carried between ticks).
 */
export function notificationBudget(input: { rollout: Rollout; inFlight: number; queued: number; succeeded: number; elapsedMs: number; carried: number }): {
  notify: number
  carried: number
} {
  const room = Math.max(0, Math.min(input.rollout.maxInFlight - input.inFlight, input.queued))
  if (!input.rollout.rate) return { notify: room, carried: 0 }
  const budget = input.carried + (ratePerMinute(input.rollout.rate, input.succeeded) * input.elapsedMs) / 60_000
  const notify = Math.min(room, Math.floor(budget))
  // Unused budget is not banked beyond one minute's worth, so a pause does not cause a burst.
  return { notify, carried: Math.min(budget - notify, ratePerMinute(input.rollout.rate, input.succeeded)) }
}
