import { randomBytes } from 'node:crypto'
import { JobSpec, PolicyInput, StandingRule, type PolicyView } from '../../shared/fleet/jobs'
import type { Db } from '../db/db'
import { conflict, notFound } from '../http/errors'
import { standingAllows, type AskingVehicle } from './standing'

interface Row {
  id: string
  name: string
  kind: PolicyView['kind']
  spec: string
  release_id: string | null
  created_at: string
  created_by: string
  updated_at: string
  require_approval: number
}

const toView = (r: Row): PolicyView => {
  const meta = { id: r.id, name: r.name, createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at }
  return r.kind === 'standing'
    ? { ...meta, kind: 'standing', rule: StandingRule.parse(JSON.parse(r.spec)) }
    : { ...meta, kind: 'template', spec: JobSpec.omit({ name: true }).parse(JSON.parse(r.spec)), requireApproval: !!Number(r.require_approval) }
}

type ParsedInput = ReturnType<typeof PolicyInput.parse>
const stored = (input: ParsedInput) =>
  input.kind === 'standing'
    ? { body: input.rule, releaseId: input.rule.releaseId, requireApproval: 0 }
    : { body: input.spec, releaseId: input.spec.releaseId, requireApproval: input.requireApproval ? 1 : 0 }

/**
 * Upgrade policies of two kinds: templates (a job's spec saved under a name, from which jobs are
 * created) and standing rules that decide what vehicles asking for updates are offered.
 */
export function createPolicies(db: Db) {
  const mustGet = async (id: string) => {
    const row = await db.get<Row>('SELECT * FROM policies WHERE id = ?', [id])
    if (!row) throw notFound(`policy ${id}`)
    return toView(row)
  }
  // Checked before writing, so an unknown release is a 404 that names it, not a foreign key failing.
  const releaseMustExist = async (releaseId: string | null) => {
    if (releaseId && !(await db.get('SELECT 1 FROM releases WHERE id = ?', [releaseId]))) throw notFound(`release ${releaseId}`)
  }
  const nameTaken = (err: unknown) => /UNIQUE|unique|duplicate/.test(String((err as Error).message))
  return {
    get: mustGet,
    list: async () => (await db.all<Row>('SELECT * FROM policies ORDER BY name')).map(toView),
    async create(input: ParsedInput, by: string) {
      const id = `pol_${randomBytes(8).toString('hex')}`
      const now = new Date().toISOString()
      const { body, releaseId, requireApproval } = stored(input)
      await releaseMustExist(releaseId)
      try {
        await db.run('INSERT INTO policies (id, name, kind, spec, release_id, created_at, created_by, updated_at, require_approval) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
          id,
          input.name,
          input.kind,
          JSON.stringify(body),
          releaseId,
          now,
          by,
          now,
          requireApproval
        ])
      } catch (err) {
        if (nameTaken(err)) throw conflict(`a policy named "${input.name}" exists`)
        throw err
      }
      return mustGet(id)
    },
    async update(id: string, input: ParsedInput) {
      const before = await mustGet(id)
      if (before.kind !== input.kind) throw conflict(`policy ${id} is a ${before.kind} policy; it cannot become a ${input.kind} one`)
      const { body, releaseId, requireApproval } = stored(input)
      await releaseMustExist(releaseId)
      try {
        await db.run('UPDATE policies SET name = ?, spec = ?, release_id = ?, updated_at = ?, require_approval = ? WHERE id = ?', [
          input.name,
          JSON.stringify(body),
          releaseId,
          new Date().toISOString(),
          requireApproval,
          id
        ])
      } catch (err) {
        if (nameTaken(err)) throw conflict(`a policy named "${input.name}" exists`)
        throw err
      }
      return mustGet(id)
    },
    async remove(id: string) {
      if ((await db.run('DELETE FROM policies WHERE id = ?', [id])).changes === 0) throw notFound(`policy ${id}`)
    },
    /** The job spec a template gives, under the job's own name, and the template (whether it asks for approval). */
    async jobSpec(id: string, name: string): Promise<{ spec: JobSpec; template: { name: string; requireApproval: boolean } }> {
      const policy = await mustGet(id)
      if (policy.kind !== 'template') throw conflict(`policy ${id} is a standing rule: vehicles are offered its release when they ask; it makes no jobs`)
      return { spec: { ...policy.spec, name }, template: { name: policy.name, requireApproval: policy.requireApproval } }
    },
    /** A standing rule's selection as a job spec, to preview how many vehicles it reaches. */
    async previewSpec(id: string): Promise<JobSpec> {
      const policy = await mustGet(id)
      if (policy.kind === 'template') return { ...policy.spec, name: 'preview' }
      return JobSpec.parse({ name: 'preview', releaseId: policy.rule.releaseId, selection: policy.rule.selection, rollout: { waves: [{ size: { percent: 100 } }] } })
    },
    /**
     * What standing rules let this vehicle be offered: a (ECU, release) check. An ECU of the
     * vehicle's model that no standing rule governs is offered whatever is published, as before.
     */
    async standingGate(vehicle: AskingVehicle, nowMs = Date.now()) {
      const rows = await db.all<Row & { ecu: string }>("SELECT p.*, r.ecu FROM policies p JOIN releases r ON r.id = p.release_id WHERE p.kind = 'standing' AND r.model = ?", [
        vehicle.model
      ])
      const rules = rows.map((r) => ({ ecu: r.ecu, rule: StandingRule.parse(JSON.parse(r.spec)) }))
      const governed = new Set(rules.map((r) => r.ecu))
      return (ecu: string, releaseId: string, current: string) =>
        !governed.has(ecu) || rules.some((r) => r.ecu === ecu && r.rule.releaseId === releaseId && standingAllows(r.rule, vehicle, current, nowMs))
    }
  }
}
export type Policies = ReturnType<typeof createPolicies>
