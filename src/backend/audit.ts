import type { AuditEntry } from '../shared/fleet/audit'
import type { Db } from './db/db'

export type AuditRecord = Omit<AuditEntry, 'id' | 'at'>

/** The append-only audit log: who, role, action, object, time, outcome. The schema forbids edits. */
export function createAuditLog(db: Db) {
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
    /** Newest first, paged by id so a page stays stable while entries are appended. */
    async query(q: { actor?: string; action?: string; outcome?: string; since?: string; cursor?: number; limit: number }) {
      const where: string[] = []
      const params: unknown[] = []
      const add = (clause: string, value: unknown) => (where.push(clause), params.push(value))
      if (q.actor) add('actor = ?', q.actor)
      if (q.action) add('action = ?', q.action)
      if (q.outcome) add('outcome = ?', q.outcome)
      if (q.since) add('at >= ?', q.since)
      if (q.cursor) add('id < ?', q.cursor)
      const rows = await db.all<AuditEntry>(
        `SELECT id, at, actor, role, action, object, outcome, detail FROM audit ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        [...params, q.limit + 1]
      )
      const entries = rows.slice(0, q.limit).map((r) => ({ ...r, id: Number(r.id) }))
      return { entries, nextCursor: rows.length > q.limit ? entries.at(-1)!.id : null }
    }
  }
}
export type AuditLog = ReturnType<typeof createAuditLog>
