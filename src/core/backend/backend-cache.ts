import type { Db } from '../store/database'

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
    get<T>(profileId: string, key: string): { value: T; fetchedAt: string } | undefined {
      const row = select.get(profileId, key) as { value: string; fetched_at: string } | undefined
      return row && { value: JSON.parse(row.value) as T, fetchedAt: row.fetched_at }
    },
    byPrefix<T>(profileId: string, prefix: string): Map<string, T> {
      const rows = selectPrefix.all(profileId, `${prefix.replace(/[\\%_]/g, '\\$&')}%`) as { key: string; value: string }[]
      return new Map(rows.map((r) => [r.key, JSON.parse(r.value) as T]))
    }
  }
}
export type BackendCache = ReturnType<typeof createBackendCache>
