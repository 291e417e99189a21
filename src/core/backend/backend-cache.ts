import type { z } from 'zod'
import type { Db } from '../store/database'

function readAs<S extends z.ZodType>(schema: S, text: string) {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return undefined
  }
  const parsed = schema.safeParse(json)
  return parsed.success ? parsed : undefined
}

/**
 * The last answer the backend gave to a question, per profile, so the console opens instantly
 * and has something (marked stale) to show when the backend cannot be reached.
 */
export function createBackendCache(db: Db) {
  const upsert = db.prepare(
    `INSERT INTO backend_cache (profile_id, key, value, fetched_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (profile_id, key) DO UPDATE SET value = excluded.value, fetched_at = excluded.fetched_at`
  )
  const select = db.prepare('SELECT value, fetched_at FROM backend_cache WHERE profile_id = ? AND key = ?')
  const selectPrefix = db.prepare("SELECT key, value FROM backend_cache WHERE profile_id = ? AND key LIKE ? ESCAPE '\\'")
  const many = db.transaction((profileId: string, entries: [string, unknown][], at: string) => {
    for (const [key, value] of entries) upsert.run(profileId, key, JSON.stringify(value), at)
  })
  return {
    put(profileId: string, key: string, value: unknown, at = new Date().toISOString()) {
      upsert.run(profileId, key, JSON.stringify(value), at)
    },
    /** Several entries in one transaction: one fsync for a batch of live updates. */
    putMany(profileId: string, entries: [string, unknown][], at = new Date().toISOString()) {
      if (entries.length) many(profileId, entries, at)
    },
    /** The entry read back through its schema: one an older console wrote in another shape is a miss. */
    get<S extends z.ZodType>(schema: S, profileId: string, key: string): { value: z.output<S>; fetchedAt: string } | undefined {
      const row = select.get(profileId, key) as { value: string; fetched_at: string } | undefined
      const value = row && readAs(schema, row.value)
      return value && { value: value.data, fetchedAt: row.fetched_at }
    },
    byPrefix<S extends z.ZodType>(schema: S, profileId: string, prefix: string): Map<string, z.output<S>> {
      const rows = selectPrefix.all(profileId, `${prefix.replace(/[\\%_]/g, '\\$&')}%`) as { key: string; value: string }[]
      const out = new Map<string, z.output<S>>()
      for (const r of rows) {
        const value = readAs(schema, r.value)
        if (value) out.set(r.key, value.data)
      }
      return out
    }
  }
}
export type BackendCache = ReturnType<typeof createBackendCache>
