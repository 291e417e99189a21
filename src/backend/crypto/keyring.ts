import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Db } from '../db/db'
import type { KeyStore } from '../keys/key-store'

const wrap = (master: Buffer, key: Buffer) => {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', master, iv)
  const body = Buffer.concat([cipher.update(key), cipher.final()])
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')
}
const unwrap = (master: Buffer, wrapped: string) => {
  const raw = Buffer.from(wrapped, 'base64')
  const decipher = createDecipheriv('aes-256-gcm', master, raw.subarray(0, 12))
  decipher.setAuthTag(raw.subarray(raw.length - 16))
  return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()])
}

/**
 * The server key (encrypts uploads at rest) and one data key per release (encrypts what
 * vehicles download; each vehicle gets it wrapped to its own key, see data-keys.ts). Data keys
 * are stored wrapped by the server key, so the database alone decrypts nothing. The key store
 * keeps the server key (DATA/keys/server.key, or sealed by a token's key beside it).
 */
export function createKeyring(dataDir: string, db: Db, keyStore: KeyStore) {
  const serverKey = keyStore.serverKey(join(dataDir, 'keys', 'server.key'))
  const stored = (releaseId: string) => db.get<{ wrapped_key: string }>('SELECT wrapped_key FROM release_keys WHERE release_id = ?', [releaseId])
  // A release's data key never changes once stored; a job wraps it for every vehicle it notifies.
  const opened = new Map<string, Buffer>()
  const open = (releaseId: string, wrapped: string) => {
    const key = unwrap(serverKey, wrapped)
    opened.set(releaseId, key)
    return key
  }

  return {
    serverKey,
    async dataKey(releaseId: string): Promise<Buffer> {
      const known = opened.get(releaseId)
      if (known) return known
      const row = await stored(releaseId)
      if (row) return open(releaseId, row.wrapped_key)
      await db.run('INSERT INTO release_keys (release_id, wrapped_key, created_at) VALUES (?, ?, ?) ON CONFLICT (release_id) DO NOTHING', [
        releaseId,
        wrap(serverKey, randomBytes(32)),
        new Date().toISOString()
      ])
      // Another request may have won the insert; the stored key is the one that counts.
      return open(releaseId, (await stored(releaseId))!.wrapped_key)
    }
  }
}
export type Keyring = ReturnType<typeof createKeyring>
