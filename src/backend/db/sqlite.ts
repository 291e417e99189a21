import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import type { Db } from './db'

/** SQLite through better-sqlite3, in WAL mode. Statements are cached; calls are serialised. */
export function openSqlite(file: string): Db {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const sqlite = new Database(file)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  const cache = new Map<string, Database.Statement>()
  const prepare = (sql: string) => {
    let stmt = cache.get(sql)
    if (!stmt) cache.set(sql, (stmt = sqlite.prepare(sql)))
    return stmt
  }
  const params = (p: unknown[] = []) => p.map((v) => (typeof v === 'boolean' ? Number(v) : v))

  const direct: Db = {
    dialect: 'sqlite',
    all: async <T>(sql: string, p?: unknown[]) => prepare(sql).all(...params(p)) as T[],
    get: async <T>(sql: string, p?: unknown[]) => prepare(sql).get(...params(p)) as T | undefined,
    run: async (sql, p) => ({ changes: prepare(sql).run(...params(p)).changes }),
    exec: async (sql) => void sqlite.exec(sql),
    transaction: () => {
      throw new Error('nested transactions are not supported')
    },
    close: async () => void sqlite.close()
  }

  // One connection: a write outside a transaction waits for the open one, so it can neither
  // join it nor be rolled back with it.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work)
    queue = next.catch(() => undefined)
    return next
  }
  return {
    ...direct,
    run: (sql, p) => serial(() => direct.run(sql, p)),
    exec: (sql) => serial(() => direct.exec(sql)),
    transaction: <T>(fn: (tx: Db) => Promise<T>) =>
      serial(async () => {
        sqlite.exec('BEGIN IMMEDIATE')
        try {
          const out = await fn(direct)
          sqlite.exec('COMMIT')
          return out
        } catch (err) {
          sqlite.exec('ROLLBACK')
          throw err
        }
      })
  }
}
