import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import { OtaError } from '../../shared/errors'
import type { Db } from './database'

interface ViewRecord {
  id: string
  name: string
  query: string
  created_at: string
}

/** The tables that keep a screen's saved views: the same columns each. */
type ViewTable = 'fleet_views' | 'certificate_views'

/** Named filters and sort of one screen's table, per profile; the query is checked against its schema when read. */
export function createSavedViews<Q extends z.ZodType>(db: Db, table: ViewTable, querySchema: Q) {
  const toView = (r: ViewRecord) => ({ id: r.id, name: r.name, query: querySchema.parse(JSON.parse(r.query)) as z.output<Q>, createdAt: r.created_at })
  const select = db.prepare(`SELECT id, name, query, created_at FROM ${table} WHERE profile_id = ? ORDER BY name COLLATE NOCASE`)
  const selectOne = db.prepare(`SELECT id, name, query, created_at FROM ${table} WHERE profile_id = ? AND name = ?`)
  const upsert = db.prepare(
    `INSERT INTO ${table} (id, profile_id, name, query, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (profile_id, name) DO UPDATE SET query = excluded.query`
  )
  const remove = db.prepare(`DELETE FROM ${table} WHERE profile_id = ? AND id = ?`)
  return {
    list: (profileId: string) => (select.all(profileId) as ViewRecord[]).map(toView),
    save(profileId: string, name: string, query: z.output<Q>) {
      upsert.run(`view_${randomBytes(8).toString('hex')}`, profileId, name, JSON.stringify(query), new Date().toISOString())
      return toView(selectOne.get(profileId, name) as ViewRecord)
    },
    delete(profileId: string, id: string) {
      if (remove.run(profileId, id).changes === 0) throw new OtaError('NOT_FOUND', 'That saved view no longer exists.')
    }
  }
}
