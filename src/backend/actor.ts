import { AsyncLocalStorage } from 'node:async_hooks'

/** Who caused what the backend is doing now, as the audit log names them. */
export interface Actor {
  actor: string
  role: string
}

/** The backend itself: the job engine, schedules, start-up. */
const BACKEND: Actor = { actor: 'backend', role: 'system' }

// A key is used deep below the request that caused it (a data key unwrapped for an offer, a
// model key for an export): the request's principal travels with the call instead of through
// every signature in between.
const current = new AsyncLocalStorage<Actor>()

export const asActor = <T>(who: Actor, run: () => T): T => current.run(who, run)

export const currentActor = (): Actor => current.getStore() ?? BACKEND
