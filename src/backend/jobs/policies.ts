import { randomBytes } from 'node:crypto'
import { JobSpec, type PolicyInput, type PolicyView } from '../../shared/fleet/jobs'
import type { Db } from '../db/db'
import { conflict, notFound } from '../http/errors'

interface Row {
  id: string
  name: string
  kind: 'template'
  spec: string
  created_at: string
  created_by: string
  updated_at: string
}

const toView = (r: Row): PolicyView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  spec: JobSpec.omit({ name: true }).parse(JSON.parse(r.spec)),
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at
})

/** Template policies: a job's spec saved under a name, from which jobs are created. */
export function createPolicies(db: Db) {
  const mustGet = async (id: string) => {
    const row = await db.get<Row>('SELECT * FROM policies WHERE id = ?', [id])
    if (!row) throw notFound(`policy ${id}`)
    return toView(row)
  }
  const nameTaken = (err: unknown) => /UNIQUE|unique|duplicate/.test(String((err as Error).message))
  return {
    get: mustGet,
    list: async () => (await db.all<Row>('SELECT * FROM policies ORDER BY name')).map(toView),
    async create(input: PolicyInput & { spec: PolicyView['spec'] }, by: string) {
      const id = `pol_${randomBytes(8).toString('hex')}`
      const now = new Date().toISOString()
      try {
        await db.run("INSERT INTO policies (id, name, kind, spec, created_at, created_by, updated_at) VALUES (?, ?, 'template', ?, ?, ?, ?)", [id, input.name, JSON.stringify(input.spec), now, by, now])
      } catch (err) {
        if (nameTaken(err)) throw conflict(`a policy named "${input.name}" exists`)
        throw err
      }
      return mustGet(id)
    },
    async update(id: string, input: PolicyInput & { spec: PolicyView['spec'] }) {
      await mustGet(id)
      try {
        await db.run('UPDATE policies SET name = ?, spec = ?, updated_at = ? WHERE id = ?', [input.name, JSON.stringify(input.spec), new Date().toISOString(), id])
      } catch (err) {
        if (nameTaken(err)) throw conflict(`a policy named "${input.name}" exists`)
        throw err
      }
      return mustGet(id)
    },
    async remove(id: string) {
      if ((await db.run('DELETE FROM policies WHERE id = ?', [id])).changes === 0) throw notFound(`policy ${id}`)
    },
    /** The job spec a policy gives, under the job's own name. */
    async jobSpec(id: string, name: string): Promise<JobSpec> {
      return { ...(await mustGet(id)).spec, name }
    }
  }
}
export type Policies = ReturnType<typeof createPolicies>
