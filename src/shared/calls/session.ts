import { z } from 'zod'
import { Identity } from '../fleet/roles'
import { call } from './call'

/** The console's live link (MQTT) to the active backend, as the user should understand it. */
export const LiveState = z.enum(['off', 'connecting', 'connected', 'reconnecting'])
export type LiveState = z.infer<typeof LiveState>

/**
 * Where the console stands with the active backend: who the user is there (the role enables
 * what the screens offer) and whether live updates flow. `message` says why, in words.
 */
export const SessionStatus = z.object({
  profileId: z.string().nullable(),
  profileName: z.string().nullable(),
  backend: z.enum(['none', 'checking', 'ok', 'unreachable', 'auth-rejected']),
  identity: Identity.nullable(),
  live: LiveState,
  message: z.string().nullable(),
  /** When live data last arrived; cached data older than the link's loss is shown as stale. */
  lastLiveAt: z.string().nullable()
})
export type SessionStatus = z.infer<typeof SessionStatus>

export const sessionCalls = {
  'session.status': call(z.void(), SessionStatus),
  /** Asks the backend again now (after the user fixed a profile, or to skip the backoff). */
  'session.refresh': call(z.void(), SessionStatus)
}

export const sessionEvents = {
  'session.changed': SessionStatus
}
