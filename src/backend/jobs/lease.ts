import type { Db } from '../db/db'

/**
 * Leadership of the job engine among backend instances sharing one database: whoever holds the
 * lease drives jobs; it renews on every tick, and when it stops renewing (it died) another
 * instance takes over once the lease has expired. One statement, so two instances racing for
 * it cannot both win.
 */
export function createLease(db: Db, opts: { name: string; holder: string; ttlMs: number }) {
  return {
    holder: opts.holder,
    /** Takes or renews the lease; answers whether this instance holds it now. */
    async acquire(nowMs: number): Promise<boolean> {
      await db.run(
        `INSERT INTO engine_lease (name, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
         WHERE engine_lease.holder = excluded.holder OR engine_lease.expires_at < ?`,
        [opts.name, opts.holder, nowMs + opts.ttlMs, nowMs]
      )
      const row = await db.get<{ holder: string }>('SELECT holder FROM engine_lease WHERE name = ?', [opts.name])
      return row?.holder === opts.holder
    },
    /** Gives the lease up at a clean shutdown, so another instance need not wait for it to expire. */
    async release() {
      await db.run('DELETE FROM engine_lease WHERE name = ? AND holder = ?', [opts.name, opts.holder])
    }
  }
}
export type Lease = ReturnType<typeof createLease>
