import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type { Db } from '../db/db'
import type { KeyStore } from '../keys/key-store'
import type { KeyUse } from '../keys/key-use'

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

const modelKeyName = (model: string, version: number) => `model-key ${model} v${version}`

/**
 * The server key (encrypts uploads at rest and wraps the model keys), one key per device model
 * (wraps that model's release data keys; rotates), and one data key per release (encrypts what
 * vehicles download; each vehicle gets it wrapped to its own key, see data-keys.ts). The database
 * holds only wrapped keys, so it alone decrypts nothing. The key store keeps the server key
 * (DATA/keys/server.key, or sealed by a token's key beside it). Data keys wrapped before model
 * keys existed (model_key_version NULL) are wrapped by the server key until their model rotates.
 */
export function createKeyring(dataDir: string, db: Db, keyStore: KeyStore, audit: KeyUse) {
  // The audit log writes outside a transaction; uses within one are recorded once it ends.
  let held: Parameters<KeyUse>[0][] | undefined
  const used: KeyUse = async (use) => (held ? void held.push(use) : audit(use))
  const serverKey = keyStore.serverKey(join(dataDir, 'keys', 'server.key'))
  // A release's data key never changes once stored (a rotation re-wraps it); a job wraps it for every vehicle it notifies.
  const opened = new Map<string, Buffer>()
  const modelKeys = new Map<string, Buffer>()

  async function modelKey(q: Db, model: string, version: number) {
    const name = modelKeyName(model, version)
    const known = modelKeys.get(name)
    if (known) return known
    const row = await q.get<{ wrapped_key: string | null }>('SELECT wrapped_key FROM model_keys WHERE model = ? AND version = ?', [model, version])
    if (!row?.wrapped_key) throw new Error(`${name} is retired or missing: a data key still wrapped by it cannot be opened`)
    const key = unwrap(serverKey, row.wrapped_key)
    await used({ operation: 'unwrap', key: 'server-key', detail: name })
    modelKeys.set(name, key)
    return key
  }
  /** The model's key in use, made (version 1) on first need. */
  async function currentModelKey(q: Db, model: string) {
    const current = () => q.get<{ version: number }>('SELECT version FROM model_keys WHERE model = ? AND retired_at IS NULL ORDER BY version DESC LIMIT 1', [model])
    let row = await current()
    if (!row) {
      await newModelKey(q, model, 1)
      row = (await current())!
    }
    const version = Number(row.version)
    return { version, key: await modelKey(q, model, version) }
  }
  async function newModelKey(q: Db, model: string, version: number) {
    const created = await q.run('INSERT INTO model_keys (model, version, wrapped_key, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (model, version) DO NOTHING', [
      model,
      version,
      wrap(serverKey, randomBytes(32)),
      new Date().toISOString()
    ])
    if (created.changes) await used({ operation: 'wrap', key: 'server-key', detail: `new ${modelKeyName(model, version)}` })
  }
  const wrappingKey = (q: Db, model: string, version: number | null) => (version === null ? Promise.resolve(serverKey) : modelKey(q, model, Number(version)))
  const wrapperName = (model: string, version: number | null) => (version === null ? 'server-key' : modelKeyName(model, Number(version)))

  type Stored = { model: string; wrapped_key: string | null; model_key_version: number | null }
  const stored = (releaseId: string) =>
    db.get<Stored>('SELECT r.model, k.wrapped_key, k.model_key_version FROM releases r LEFT JOIN release_keys k ON k.release_id = r.id WHERE r.id = ?', [releaseId])

  async function open(releaseId: string, row: Stored) {
    const key = unwrap(await wrappingKey(db, row.model, row.model_key_version), row.wrapped_key!)
    await used({ operation: 'unwrap', key: wrapperName(row.model, row.model_key_version), detail: `data key of release ${releaseId}` })
    opened.set(releaseId, key)
    return key
  }

  return {
    serverKey,
    async dataKey(releaseId: string): Promise<Buffer> {
      const known = opened.get(releaseId)
      if (known) return known
      const row = await stored(releaseId)
      if (!row) throw new Error(`release ${releaseId} does not exist`)
      if (row.wrapped_key) return open(releaseId, row)
      const model = await currentModelKey(db, row.model)
      const made = await db.run('INSERT INTO release_keys (release_id, wrapped_key, model_key_version, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (release_id) DO NOTHING', [
        releaseId,
        wrap(model.key, randomBytes(32)),
        model.version,
        new Date().toISOString()
      ])
      if (made.changes) await used({ operation: 'wrap', key: modelKeyName(row.model, model.version), detail: `new data key of release ${releaseId}` })
      // Another request may have won the insert; the stored key is the one that counts.
      return open(releaseId, (await stored(releaseId))!)
    },

    /**
     * A new key for the model: every release data key of the model re-wrapped by it in one
     * transaction, the keys before retired (their wrapped value dropped). The data keys themselves
     * stay, so every sealed image and every offer already made still opens.
     */
    async rotateModelKey(model: string) {
      held = []
      try {
        return await rotate(model)
      } finally {
        const uses = held
        held = undefined
        for (const use of uses) await audit(use)
      }
    }
  }

  function rotate(model: string) {
    return db.transaction(async (tx) => {
      const before = await currentModelKey(tx, model)
      const version = before.version + 1
      await newModelKey(tx, model, version)
      const next = await modelKey(tx, model, version)
      const rows = await tx.all<{ release_id: string; wrapped_key: string; model_key_version: number | null }>(
        'SELECT k.release_id, k.wrapped_key, k.model_key_version FROM release_keys k JOIN releases r ON r.id = k.release_id WHERE r.model = ?',
        [model]
      )
      for (const row of rows) {
        const plain = unwrap(await wrappingKey(tx, model, row.model_key_version), row.wrapped_key)
        await used({ operation: 'unwrap', key: wrapperName(model, row.model_key_version), detail: `data key of release ${row.release_id}, to re-wrap` })
        await tx.run('UPDATE release_keys SET wrapped_key = ?, model_key_version = ? WHERE release_id = ?', [wrap(next, plain), version, row.release_id])
        await used({ operation: 'wrap', key: modelKeyName(model, version), detail: `data key of release ${row.release_id}, re-wrapped` })
      }
      const retired = await tx.all<{ version: number }>('SELECT version FROM model_keys WHERE model = ? AND version < ? AND retired_at IS NULL', [model, version])
      await tx.run('UPDATE model_keys SET wrapped_key = NULL, retired_at = ? WHERE model = ? AND version < ? AND retired_at IS NULL', [new Date().toISOString(), model, version])
      for (const r of retired) modelKeys.delete(modelKeyName(model, Number(r.version)))
      return { model, version, rewrapped: rows.length, retired: retired.map((r) => Number(r.version)) }
    })
  }
}
export type Keyring = ReturnType<typeof createKeyring>
