/**
 * The backend's SQL seam: repositories speak to this, never to a driver, so the same code runs
 * on SQLite (embedded default) and PostgreSQL. SQL uses `?` placeholders; a driver converts them.
 */
export interface Db {
  readonly dialect: 'sqlite' | 'postgres'
  all<T>(sql: string, params?: unknown[]): Promise<T[]>
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>
  exec(sql: string): Promise<void>
  /** Runs fn in one transaction; concurrent callers queue rather than interleave. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  close(): Promise<void>
}
