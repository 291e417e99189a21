import type { Db } from './db'
import { backendMigrations, type BackendMigration } from './migrations'

/** Applies pending migrations in one transaction; a failure leaves the schema as it was. */
export async function migrateBackend(db: Db, migrations: readonly BackendMigration[] = backendMigrations) {
  await db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)')
  const row = await db.get<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_version')
  const current = Number(row?.v ?? 0)
  const latest = Math.max(0, ...migrations.map((m) => m.version))
  if (current > latest) {
    throw new Error(`The backend database has schema version ${current}; this backend knows up to ${latest}. Run a newer backend.`)
  }
  const pending = migrations.filter((m) => m.version > current).sort((a, b) => a.version - b.version)
  if (pending.length === 0) return current
  await db.transaction(async (tx) => {
    for (const m of pending) {
      await tx.exec(typeof m.sql === 'string' ? m.sql : typeof m.sql === 'function' ? m.sql(db.dialect) : m.sql[db.dialect])
      await tx.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', [m.version, m.name, new Date().toISOString()])
    }
  })
  return pending.at(-1)!.version
}
