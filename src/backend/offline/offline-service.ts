import type { Services } from '../http/routes/services'
import { SignedRoot } from '../../shared/tuf/metadata'
import { offlineSigningKey } from './signing-key'
import { createWorkshops } from './workshops'

/** What the offline-bundle routes work with, made from the backend's services on first use. */
export function createOfflineService(services: Services) {
  const workshops = createWorkshops(services.db)
  const signer = offlineSigningKey(services.keys.serverKey, services.signatures)
  const deps = { ...services, workshops, signer }
  return {
    deps,
    /** What a workshop console pins: the key that signs bundles, and the TUF root of this fleet. */
    async trust() {
      const root = await services.tuf.file('root.json')
      return { backendKey: signer.key, backendKeyId: signer.keyid, root: SignedRoot.parse(JSON.parse(root!)) }
    }
  }
}
export type OfflineService = ReturnType<typeof createOfflineService>
