import { create } from 'zustand'
import type { SessionStatus } from '../../../shared/calls/session'
import { forbiddenReason, mayPerform, type Action } from '../../../shared/fleet/roles'
import { ota } from '../ota'

interface SessionState {
  status?: SessionStatus
  load(): Promise<void>
  refresh(): Promise<void>
}

export const useSession = create<SessionState>()((set) => ({
  async load() {
    const r = await ota.session.status()
    if (r.ok) set({ status: r.value })
  },
  async refresh() {
    const r = await ota.session.refresh()
    if (r.ok) set({ status: r.value })
  }
}))

ota.on('session.changed', (status) => useSession.setState({ status }))

/**
 * Whether the signed-in role may do something, and if not, why: operations are shown disabled
 * with this reason as their tooltip, rather than hidden or left to fail.
 */
export function usePermission(action: Action): { allowed: boolean; reason?: string } {
  const identity = useSession((s) => s.status?.identity)
  if (!identity) return { allowed: false, reason: 'Not connected to a fleet backend' }
  return mayPerform(identity.role, action) ? { allowed: true } : { allowed: false, reason: forbiddenReason(identity.role, action) }
}

/**
 * Who is asking, for a screen that reads the backend: 'none' without a profile, 'unknown' before
 * the session has said, else the profile and user, so a new profile or user asks again. `signedIn`
 * is that key once known (asking while 'unknown' would only show why it failed).
 */
export function useAsker() {
  const session = useSession((s) => (!s.status ? 'unknown' : s.status.backend === 'none' ? 'none' : `${s.status.profileId}/${s.status.identity?.name ?? ''}`))
  return { session, signedIn: session === 'unknown' || session === 'none' ? null : session }
}
