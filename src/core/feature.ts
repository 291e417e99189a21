import type { CallHandlers, CallName } from '../shared/contract'
import { OtaError } from '../shared/errors'
import type { BackendClient } from './backend/backend-client'
import type { BackendSession } from './backend/backend-session'
import type { EventHub } from './rpc/event-hub'
import type { SecretStore } from './secrets/secret-store'
import type { Db } from './store/database'

/** The handlers of one namespace of the contract ("jobs", "fleet", …). */
export type HandlersOf<NS extends string> = Pick<CallHandlers, Extract<CallName, `${NS}.${string}`>>

/** What a feature of the console may use; each one wires its own handlers from these. */
export interface FeatureDeps {
  db: Db
  backend: BackendSession
  secrets: SecretStore
  hub: EventHub
  dataDir: string
  log(line: string): void
  /** Told of every failed call, so the session line can say the backend cannot be reached. */
  observed(err: unknown): void
}

/**
 * How a feature calls out: `observe` runs an operation and tells the session of its failure
 * before passing it on; `ask` does so with the active profile's backend client.
 */
export function callsOf(deps: Pick<FeatureDeps, 'backend' | 'observed'>) {
  const observe = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run()
    } catch (err) {
      deps.observed(err)
      throw err
    }
  }
  const ask = <T>(run: (client: BackendClient) => Promise<T>) => observe(async () => run(await deps.backend.client()))
  return { observe, ask }
}

/** The active profile's id, for what a feature keeps per profile; without one, the error that says to choose one. */
export function requireProfile(profileId: () => string | null) {
  return () => {
    const id = profileId()
    if (!id) throw new OtaError('NO_CONNECTION', 'No connection profile is active; choose one under Connections.')
    return id
  }
}
