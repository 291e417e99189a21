import { randomBytes } from 'node:crypto'
import { FleetQuery, type SavedView } from '../../shared/calls/fleet'
import { OtaError } from '../../shared/errors'
import type { Db } from '../store/database'

interface ViewRecord {
  id: string
  name: string
  query: string
  created_at: string
}

const toView = (r: ViewRecord): SavedView => ({ id: r.id, name: r.name, query: FleetQuery.parse(JSON.parse(r.query)), createdAt: r.created_at })

/** Named filters and sort for the fleet table, per profile. */
export function createSavedViews(db: Db) {
  const select = db.prepare('SELECT id, name, query, created_at FROM fleet_views WHERE profile_id = ? ORDER BY name COLLATE NOCASE')
  const selectOne = db.prepare('SELECT id, name, query, created_at FROM fleet_views WHERE profile_id = ? AND name = ?')
  const upsert = db.prepare(
    `INSERT INTO fleet_views (id, profile_id, name, query, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (profile_id, name) DO UPDATE SET query = excluded.query`
  )
  const remove = db.prepare('DELETE FROM fleet_views WHERE profile_id = ? AND id = ?')
  return {
    list: (profileId: string) => (select.all(profileId) as ViewRecord[]).map(toView),
    save(profileId: string, name: string, query: FleetQuery): SavedView {
      upsert.run(`view_${randomBytes(8).toString('hex')}`, profileId, name, JSON.stringify(query), new Date().toISOString())
      return toView(selectOne.get(profileId, name) as ViewRecord)
    },
    delete(profileId: string, id: string) {
      if (remove.run(profileId, id).changes === 0) throw new OtaError('NOT_FOUND', 'That saved view no longer exists.')
    }
  }
}
