import { createHash, randomBytes } from 'node:crypto'
import type { RegisterWorkshop, WorkshopView } from '../../shared/bundle/api'
import type { TufKey } from '../../shared/tuf/metadata'
import type { Db } from '../db/db'
import { conflict, notFound } from '../http/errors'
import { keyIdOf } from '../tuf/keys'

interface WorkshopRow {
  id: string
  name: string
  signing_keyid: string
  signing_key: string
  encryption_key: string
  created_at: string
  created_by: string
}

/** A workshop as the backend keeps it; its certificate is the certificates service's. */
export interface Workshop extends Omit<WorkshopView, 'certificate'> {
  signingKey: TufKey
  encryptionKey: string
}

const toWorkshop = (r: WorkshopRow): Workshop => ({
  id: r.id,
  name: r.name,
  signingKeyId: r.signing_keyid,
  encryptionKeyId: createHash('sha256').update(Buffer.from(r.encryption_key, 'base64')).digest('hex'),
  createdAt: r.created_at,
  createdBy: r.created_by,
  signingKey: JSON.parse(r.signing_key) as TufKey,
  encryptionKey: r.encryption_key
})

export const publicView = ({ signingKey: _s, encryptionKey: _e, ...view }: Workshop): Omit<WorkshopView, 'certificate'> => view

/** Workshop consoles, each known by its key pair; registering again with the same keys is the same workshop (renamed). */
export function createWorkshops(db: Db) {
  const byId = async (id: string) => {
    const row = await db.get<WorkshopRow>('SELECT * FROM offline_workshops WHERE id = ?', [id])
    if (!row) throw notFound(`workshop ${id} (register the workshop console with this backend first)`)
    return toWorkshop(row)
  }
  return {
    byId,
    async register(input: RegisterWorkshop, by: string): Promise<Workshop> {
      const keyid = keyIdOf(input.signingKey)
      await db.run(
        `INSERT INTO offline_workshops (id, name, signing_keyid, signing_key, encryption_key, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (signing_keyid) DO UPDATE SET name = excluded.name`,
        [`ws_${randomBytes(8).toString('hex')}`, input.name, keyid, JSON.stringify(input.signingKey), input.encryptionKey, new Date().toISOString(), by]
      )
      const row = (await db.get<WorkshopRow>('SELECT * FROM offline_workshops WHERE signing_keyid = ?', [keyid]))!
      // A workshop's keys never change: another encryption key under the same signing key is someone else's claim.
      if (row.encryption_key !== input.encryptionKey)
        throw conflict(`workshop ${row.id} is registered with another encryption key; a console with new keys registers as a new workshop`)
      return toWorkshop(row)
    },
    async list(): Promise<Omit<WorkshopView, 'certificate'>[]> {
      return (await db.all<WorkshopRow>('SELECT * FROM offline_workshops ORDER BY name, id')).map((r) => publicView(toWorkshop(r)))
    }
  }
}
export type Workshops = ReturnType<typeof createWorkshops>
