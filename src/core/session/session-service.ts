import { OtaError } from '../../shared/errors'
import type { SessionStatus } from '../../shared/calls/session'
import type { ProfileView } from '../../shared/profile'
import type { BackendSession } from '../backend/backend-session'
import type { Credentials } from '../profiles/credentials'
import type { LiveHandlers, LiveLink } from '../live/live-link'

interface Deps {
  backend: BackendSession
  activeProfile(): ProfileView | undefined
  credentials(profile: ProfileView): Promise<Credentials>
  connectLive(credentials: Credentials, handlers: LiveHandlers): LiveLink
  live: Omit<LiveHandlers, 'onState'>
  onChange(status: SessionStatus): void
  /** How long to wait before asking an unreachable backend again; grows to the last value. */
  retryMs?: readonly number[]
}

const NONE: SessionStatus = { profileId: null, profileName: null, backend: 'none', identity: null, live: 'off', message: null, lastLiveAt: null }

/**
 * The console's standing with the active profile's backend: who the user is there (from
 * identity.me) and the live MQTT link. A profile switch tears both down and starts again; an
 * unreachable backend is asked again with a growing pause, and the status says so.
 */
export function createSessionService(deps: Deps) {
  const retryMs = deps.retryMs ?? [2000, 5000, 10_000, 30_000]
  let status: SessionStatus = NONE
  let key: string | null = null
  let link: LiveLink | undefined
  let retry: NodeJS.Timeout | undefined
  let failures = 0
  let generation = 0
  let linkGeneration = 0

  const set = (patch: Partial<SessionStatus>) => {
    status = { ...status, ...patch }
    deps.onChange(status)
  }

  const stopLink = async () => {
    const closing = link
    link = undefined
    linkGeneration++
    await closing?.close()
  }

  const scheduleRetry = () => {
    clearTimeout(retry)
    const wait = retryMs[Math.min(failures, retryMs.length - 1)]!
    failures += 1
    retry = setTimeout(() => void check(), wait)
    retry.unref?.()
  }

  async function check(): Promise<SessionStatus> {
    const profile = deps.activeProfile()
    const nextKey = deps.backend.key()
    const mine = ++generation
    if (nextKey !== key) {
      key = nextKey
      failures = 0
      status = { ...NONE, profileId: profile?.id ?? null, profileName: profile?.name ?? null }
      await stopLink()
      // Another switch came while the old link closed: that check owns the status now.
      if (mine !== generation) return status
    }
    if (!profile) return (set(NONE), status)
    set({ backend: 'checking' })
    try {
      const client = await deps.backend.client()
      const identity = await client.identity.me()
      if (mine !== generation) return status
      failures = 0
      set({ backend: 'ok', identity, message: null })
      if (!link) {
        const credentials = await deps.credentials(profile)
        if (mine !== generation) return status
        // A link that has been replaced may still report while it closes; only the current one speaks.
        const own = ++linkGeneration
        const current = () => own === linkGeneration
        link = deps.connectLive(credentials, {
          ...deps.live,
          onJobRollup: (r) => {
            if (!current()) return
            status = { ...status, lastLiveAt: new Date().toISOString() }
            deps.live.onJobRollup(r)
          },
          onFleetRollup: (r) => current() && deps.live.onFleetRollup(r),
          onState: (live, message) => current() && set({ live, message: message ?? (status.backend === 'ok' ? null : status.message) })
        })
      }
    } catch (err) {
      if (mine !== generation) return status
      const reason = err instanceof OtaError ? err : new OtaError('INTERNAL', (err as Error).message)
      set({ backend: reason.code === 'AUTH_REJECTED' || reason.code === 'FORBIDDEN' ? 'auth-rejected' : 'unreachable', message: reason.message })
      if (reason.code !== 'AUTH_REJECTED') scheduleRetry()
    }
    return status
  }

  return {
    status: () => status,
    refresh: () => check(),
    /** Profiles changed: only a different active profile (or a new version of it) restarts the session. */
    profilesChanged() {
      if (deps.backend.key() !== key) void check()
    },
    /** The backend answered or failed on a call elsewhere: let the status follow without waiting. */
    observed(err: unknown) {
      if (err instanceof OtaError && err.code === 'BACKEND_UNREACHABLE' && status.backend === 'ok') {
        set({ backend: 'unreachable', message: err.message })
        scheduleRetry()
      }
    },
    async close() {
      clearTimeout(retry)
      generation++
      await stopLink()
    }
  }
}
export type SessionService = ReturnType<typeof createSessionService>
