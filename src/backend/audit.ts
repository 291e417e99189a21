import type { AuditEntry, AuditQuery } from '../shared/fleet/audit'
import type { Db } from './db/db'

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>

/** At most this many distinct action names are listed; the log has a few dozen. */
const MAX_ACTIONS = 500

/** LIKE's wildcards and its escape character, taken literally in a search. */
const likeLiteral = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`)

/** The append-only audit log: who, role, action, object, time, outcome. The schema forbids edits. */
export function createAuditLog(db: Db) {
  // SQLite's LIKE ignores the case of ASCII letters; PostgreSQL's needs ILIKE for the same.
  const like = db.dialect === 'postgres' ? 'ILIKE' : 'LIKE'
  return {
    async record(entry: AuditRecord) {
      await db.run('INSERT INTO audit (at, actor, role, action, object, outcome, detail) VALUES (?, ?, ?, ?, ?, ?, ?)', [
        new Date().toISOString(),
        entry.actor,
        entry.role,
        entry.action,
        entry.object,
        entry.outcome,
        entry.detail.slice(0, 1000)
      ])
    },
    /**
     * Newest first, paged by id so a page stays stable while entries are appended. Exact filters
     * walk their (column, id) index; time bounds and text narrow that walk, which stops at a page.
     */
    async query(q: AuditQuery) {
      const where: string[] = []
      const params: unknown[] = []
      const add = (clause: string, ...values: unknown[]) => (where.push(clause), params.push(...values))
      if (q.actor) add('actor = ?', q.actor)
      if (q.action) add('action = ?', q.action)
      if (q.outcome) add('outcome = ?', q.outcome)
      if (q.since) add('at >= ?', q.since)
      if (q.until) add('at < ?', q.until)
      if (q.q) {
        const pattern = `%${likeLiteral(q.q)}%`
        const columns = ['actor', 'action', 'object', 'detail'].map((c) => `${c} ${like} ? ESCAPE '\\'`)
        add(`(${columns.join(' OR ')})`, pattern, pattern, pattern, pattern)
      }
      if (q.cursor) add('id < ?', q.cursor)
      const rows = await db.all<AuditEntry>(
        `SELECT id, at, actor, role, action, object, outcome, detail FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, q.limit + 1]
      )
      const entries = rows.slice(0, q.limit).map((r) => ({ ...r, id: Number(r.id) }))
      return { entries, nextCursor: rows.length > q.limit ? entries.at(-1)!.id : null }
    },
    /** Every action name in the log, in order: a loose scan of the action index, one seek per name. */
    async actions() {
      const rows = await db.all<{ action: string }>(
        `WITH RECURSIVE names(action) AS (
           SELECT min(action) FROM audit
           UNION ALL
           SELECT (SELECT min(action) FROM audit WHERE action > names.action) FROM names WHERE names.action IS NOT NULL
         )
         SELECT action FROM names WHERE action IS NOT NULL LIMIT ${MAX_ACTIONS}`
      )
      return { actions: rows.map((r) => r.action) }
    }
  }
}
export type AuditLog = ReturnType<typeof createAuditLog>
