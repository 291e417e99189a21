import { SignedRoot, TufKey } from '../../shared/tuf/metadata'
import type { Db } from '../store/database'

/** What this console pinned about one backend when it registered as a workshop with it. */
export interface Pin {
  profileId: string
  workshopId: string
  workshopName: string
  backendKeyId: string
  backendKey: TufKey
  origin: string
  root: SignedRoot
  pinnedAt: string
}

interface PinRow {
  profile_id: string
  workshop_id: string
  workshop_name: string
  backend_key_id: string
  backend_key: string
  backend_origin: string
  root: string
  pinned_at: string
}

const toPin = (r: PinRow): Pin => ({
  profileId: r.profile_id,
  workshopId: r.workshop_id,
  workshopName: r.workshop_name,
  backendKeyId: r.backend_key_id,
  backendKey: TufKey.parse(JSON.parse(r.backend_key)),
  origin: r.backend_origin,
  root: SignedRoot.parse(JSON.parse(r.root)),
  pinnedAt: r.pinned_at
})

/**
 * The backends this console trusts bundles from, one pin per profile, kept in SQLite: the key
 * that signs bundles and the TUF root, learned while online. Offline, a bundle signed by any
 * other key is foreign.
 */
export function createTrustStore(db: Db) {
  return {
    pin(p: Omit<Pin, 'pinnedAt'>) {
      db.prepare(
        `INSERT INTO bundle_trust (profile_id, workshop_id, workshop_name, backend_key_id, backend_key, backend_origin, root, pinned_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (profile_id) DO UPDATE SET workshop_id = excluded.workshop_id, workshop_name = excluded.workshop_name, backend_key_id = excluded.backend_key_id,
         backend_key = excluded.backend_key, backend_origin = excluded.backend_origin, root = excluded.root, pinned_at = excluded.pinned_at`
      ).run(p.profileId, p.workshopId, p.workshopName, p.backendKeyId, JSON.stringify(p.backendKey), p.origin, JSON.stringify(p.root), new Date().toISOString())
    },
    forProfile(profileId: string): Pin | undefined {
      const row = db.prepare('SELECT * FROM bundle_trust WHERE profile_id = ?').get(profileId) as PinRow | undefined
      return row && toPin(row)
    },
    /** Every pin of a backend key: one per profile registered with that backend. */
    forBackend(backendKeyId: string): Pin[] {
      return (db.prepare('SELECT * FROM bundle_trust WHERE backend_key_id = ? ORDER BY pinned_at').all(backendKeyId) as PinRow[]).map(toPin)
    },
    /** A bundle's valid root chain moved past the pinned root: trust the newer one from now on. */
    advanceRoot(profileId: string, root: SignedRoot) {
      db.prepare('UPDATE bundle_trust SET root = ? WHERE profile_id = ?').run(JSON.stringify(root), profileId)
    }
  }
}
export type TrustStore = ReturnType<typeof createTrustStore>
