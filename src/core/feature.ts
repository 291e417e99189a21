import type { CallHandlers, CallName } from '../shared/contract'
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
}
