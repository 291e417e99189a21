import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { migrate, type Migration } from './migrate'
import { migrations as consoleMigrations } from './migrations'

export type Db = Database.Database

export const DATABASE_FILE = 'console.sqlite'

/** Opens (creating if needed) the console's database in WAL mode and migrates it. */
export function openDatabase(dataDir: string, migrations: readonly Migration[] = consoleMigrations) {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const db = new Database(join(dataDir, DATABASE_FILE))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    const { to } = migrate(db, migrations)
    return { db, schemaVersion: to }
  } catch (err) {
    db.close()
    throw err
  }
}
