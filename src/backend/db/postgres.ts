import pg from 'pg'
import type { Db } from './db'

// SQL is written with `?`; PostgreSQL numbers its parameters.
const numbered = (sql: string) => {
  let n = 0
  return sql.replace(/\?/g, () => `$${++n}`)
}

type Queryable = pg.Pool | pg.PoolClient

function over(q: Queryable, transaction: Db['transaction'], close: Db['close']): Db {
  return {
    dialect: 'postgres',
    all: async <T>(sql: string, params: unknown[] = []) => (await q.query(numbered(sql), params)).rows as T[],
    get: async <T>(sql: string, params: unknown[] = []) => (await q.query(numbered(sql), params)).rows[0] as T | undefined,
    run: async (sql, params = []) => ({ changes: (await q.query(numbered(sql), params)).rowCount ?? 0 }),
    exec: async (sql) => void (await q.query(sql)),
    transaction,
    close
  }
}

/** PostgreSQL through a pg pool: several backend instances can share one fleet. */
export function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, max: 10 })
  const transaction = async <T>(fn: (tx: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      const out = await fn(
        over(
          client,
          () => Promise.reject(new Error('nested transactions are not supported')),
          async () => {}
        )
      )
      await client.query('COMMIT')
      return out
    } catch (err) {
      await client.query('ROLLBACK')
      throw err
    } finally {
      client.release()
    }
  }
  return over(pool, transaction, () => pool.end())
}
