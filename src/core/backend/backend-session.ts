import { OtaError } from '../../shared/errors'
import type { ProfileView } from '../../shared/profile'
import type { Credentials } from '../profiles/credentials'
import { createBackendClient, type BackendClient } from './backend-client'

interface Deps {
  activeProfile(): ProfileView | undefined
  credentials(profile: ProfileView): Promise<Credentials>
}

/**
 * The backend of the active profile. The client (and its keep-alive sockets) is made once per
 * profile version, so the keychain is read when the profile changes, not on every call.
 */
export function createBackendSession(deps: Deps) {
  let current: { key: string; client: Promise<BackendClient> } | undefined

  const keyOf = (p: ProfileView) => `${p.id}@${p.updatedAt}`

  return {
    /** The client for the active profile, or NO_CONNECTION saying what to do. */
    client(): Promise<BackendClient> {
      const profile = deps.activeProfile()
      if (!profile) return Promise.reject(new OtaError('NO_CONNECTION', 'No connection profile is active; choose one under Connections.'))
      const key = keyOf(profile)
      if (current?.key !== key) {
        void current?.client.then(
          (c) => c.close(),
          () => {}
        )
        current = { key, client: deps.credentials(profile).then((c) => createBackendClient(c)) }
      }
      return current.client
    },
    /** Which profile (and version of it) the client belongs to; a change means "reconnect". */
    key: () => {
      const profile = deps.activeProfile()
      return profile ? keyOf(profile) : null
    },
    close() {
      void current?.client.then(
        (c) => c.close(),
        () => {}
      )
      current = undefined
    }
  }
}
export type BackendSession = ReturnType<typeof createBackendSession>
