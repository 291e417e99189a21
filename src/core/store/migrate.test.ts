import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { tempDir } from '../../../test/support/temp-dir'
import { DATABASE_FILE, openDatabase } from './database'
import { migrate, MigrationError, type Migration } from './migrate'
import { migrations } from './migrations'

const tables = (db: Database.Database) => (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name)

describe('store migrations', () => {
  const dirs: { remove(): void }[] = []
  const dir = () => {
    const d = tempDir('ota-store')
    dirs.push(d)
    return d.dir
  }
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()))

  it('migrates an empty data directory to the newest schema, in WAL mode', () => {
    const { db, schemaVersion } = openDatabase(dir())
    expect(schemaVersion).toBe(migrations.at(-1)!.version)
    expect(tables(db)).toEqual(expect.arrayContaining(['backend_cache', 'profiles', 'schema_version', 'settings']))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    db.close()
  })

  it('does nothing on a second open', () => {
    const d = dir()
    openDatabase(d).db.close()
    const { db, schemaVersion } = openDatabase(d)
    expect(schemaVersion).toBe(migrations.at(-1)!.version)
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: migrations.length })
    db.close()
  })

  it('rolls a failing migration back and leaves the database as it was', () => {
    const d = dir()
    const first = openDatabase(d, migrations.slice(0, 1))
    first.db.prepare("INSERT INTO settings (key, value) VALUES ('theme', '\"dark\"')").run()
    first.db.close()
    const broken: Migration[] = [
      migrations[0]!,
      { version: 2, name: 'add audit', up: (db) => db.exec('CREATE TABLE audit (id INTEGER PRIMARY KEY)') },
      { version: 3, name: 'broken', up: (db) => db.exec('ALTER TABLE no_such_table ADD COLUMN x TEXT') }
    ]
    expect(() => openDatabase(d, broken)).toThrow(/Migration 3 \(broken\) failed: no such table: no_such_table\. The database was left unchanged at schema version 1\./)
    const db = new Database(join(d, DATABASE_FILE))
    expect(tables(db)).toEqual(['profiles', 'schema_version', 'settings'])
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 1 })
    expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '"dark"' })
    db.close()
  })

  it('refuses a database written by a newer version', () => {
    const db = new Database(':memory:')
    migrate(db, [...migrations, { version: 9, name: 'future', up: () => {} }])
    expect(() => migrate(db, migrations)).toThrow(MigrationError)
    expect(() => migrate(db, migrations)).toThrow(/schema version 9, written by a newer OTA Fleet Console/)
    db.close()
  })
})
