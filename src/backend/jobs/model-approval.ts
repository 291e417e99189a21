import type { ModelApproval } from '../../shared/fleet/jobs'
import type { Db } from '../db/db'

interface Row {
  model: string
  require_approval: number
  updated_by: string
  updated_at: string
}
const toView = (r: Row): ModelApproval => ({ model: r.model, requireApproval: !!Number(r.require_approval), updatedBy: r.updated_by, updatedAt: r.updated_at })

/** Which device models' jobs wait for a second person's approval (the job service reads the same table when a job is made). */
export function createModelApproval(db: Db) {
  return {
    list: async () => (await db.all<Row>('SELECT * FROM model_approval WHERE require_approval = 1 ORDER BY model')).map(toView),
    async set(model: string, requireApproval: boolean, by: string): Promise<ModelApproval> {
      const row = { model, require_approval: requireApproval ? 1 : 0, updated_by: by, updated_at: new Date().toISOString() }
      await db.run(
        `INSERT INTO model_approval (model, require_approval, updated_by, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (model) DO UPDATE SET require_approval = excluded.require_approval, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
        [row.model, row.require_approval, row.updated_by, row.updated_at]
      )
      return toView(row)
    }
  }
}
export type ModelApprovalRules = ReturnType<typeof createModelApproval>
