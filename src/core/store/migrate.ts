import type { Database } from 'better-sqlite3'

export interface Migration {
  version: number
  name: string
  up(db: Database): void
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MigrationError'
  }
}

export const schemaVersion = (db: Database): number => {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`)
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null }
  return row.v ?? 0
}

/**
 * Brings the database up to the newest migration. All pending migrations run in one
 * transaction, so a failure leaves the database exactly as it was before the call.
 */
export function migrate(db: Database, migrations: readonly Migration[]): { from: number; to: number } {
  const from = schemaVersion(db)
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0)
  if (from > latest) {
    throw new MigrationError(
      `The database has schema version ${from}, written by a newer OTA Fleet Console; this one knows up to ${latest}. Update the console or open another data directory.`
    )
  }
  const pending = [...migrations].filter((m) => m.version > from).sort((a, b) => a.version - b.version)
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)')
  let running: Migration | undefined
  try {
    db.transaction(() => {
      for (const m of pending) {
        running = m
        m.up(db)
        record.run(m.version, m.name, new Date().toISOString())
      }
    })()
  } catch (err) {
    const what = running ? `Migration ${running.version} (${running.name})` : 'A migration'
    throw new MigrationError(`${what} failed: ${(err as Error).message}. The database was left unchanged at schema version ${from}.`)
  }
  return { from, to: pending.at(-1)?.version ?? from }
}
