import { randomBytes } from 'node:crypto'
import {
  evaluateSet,
  installOrder,
  type Blocker,
  type Compatibility,
  type CreateReleaseSet,
  type ReleaseSetView,
  type Requirement,
  type SetMember
} from '../../shared/fleet/release-sets'
import type { Catalog } from '../catalog/catalog'
import type { Db } from '../db/db'
import { badRequest, conflict, notFound } from '../http/errors'
import type { Registry } from '../registry/registry'

interface SetRow {
  id: string
  model: string
  name: string
  version: string
  notes: string
  members: string
  requires: string
  created_at: string
  created_by: string
}

const toView = (r: SetRow): ReleaseSetView => ({
  id: r.id,
  model: r.model,
  name: r.name,
  version: r.version,
  notes: r.notes,
  members: JSON.parse(r.members) as SetMember[],
  requires: JSON.parse(r.requires) as Requirement[],
  createdAt: r.created_at,
  createdBy: r.created_by
})

/**
 * Release sets: the images of several ECUs of one model that go in together, with the versions
 * other ECUs must run and the order they install in. Each member is a published release, so every
 * image is signed in the TUF targets as any other; the set adds what a vehicle needs to take them.
 */
export function createReleaseSets(deps: { db: Db; catalog: Catalog; registry: Pick<Registry, 'currentVci'> }) {
  const { db } = deps
  const mustRow = async (id: string) => (await db.get<SetRow>('SELECT * FROM release_sets WHERE id = ?', [id])) ?? Promise.reject(notFound(`release set ${id}`))

  return {
    async create(input: CreateReleaseSet & { notes: string }, by: string): Promise<ReleaseSetView> {
      const members: SetMember[] = []
      for (const m of input.members) {
        const release = await deps.catalog.get(m.releaseId)
        if (release.model !== input.model) throw badRequest(`release ${release.id} is for ${release.model}, not ${input.model}`)
        if (!release.published) throw badRequest(`release ${release.id} (${release.ecu} ${release.version}) is not published; publish it first`)
        members.push({ releaseId: release.id, ecu: release.ecu, version: release.version, hardware: release.hardware, after: [...new Set(m.after ?? [])] })
      }
      const order = installOrder(members)
      if ('error' in order) throw badRequest(order.error)
      const id = `rset_${randomBytes(8).toString('hex')}`
      const { changes } = await db.run(
        `INSERT INTO release_sets (id, model, name, version, notes, members, requires, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, name, version) DO NOTHING`,
        [id, input.model, input.name, input.version, input.notes, JSON.stringify(members), JSON.stringify(input.requires ?? []), new Date().toISOString(), by]
      )
      if (changes === 0) throw conflict(`release set ${input.name} ${input.version} of ${input.model} already exists`)
      return toView(await mustRow(id))
    },

    get: async (id: string) => toView(await mustRow(id)),

    async list(q: { model?: string }) {
      const rows = q.model
        ? await db.all<SetRow>('SELECT * FROM release_sets WHERE model = ? ORDER BY created_at DESC', [q.model])
        : await db.all<SetRow>('SELECT * FROM release_sets ORDER BY created_at DESC')
      return rows.map(toView)
    },

    /**
     * Judges the set against vehicles' configurations now: what blocks each, or its package per
     * zonal gateway. Which members were withdrawn since the set was made is read once, not per vehicle.
     */
    async evaluator(set: ReleaseSetView): Promise<(vin: string) => Promise<Compatibility>> {
      const blocked = (blocker: Blocker): Compatibility => ({ compatible: false, blockers: [blocker] })
      // A member withdrawn since the set was made can no longer be downloaded: it blocks every vehicle.
      let withdrawn: SetMember | undefined
      for (const m of set.members) if (!withdrawn && !(await deps.catalog.get(m.releaseId)).published) withdrawn = m
      return async (vin) => {
        const vci = await deps.registry.currentVci(vin)
        if (vci.model !== set.model) return blocked({ ecu: 'GATEWAY', kind: 'wrong-model', found: vci.model, needed: set.model })
        if (!vci.ecus.length) return blocked({ ecu: 'GATEWAY', kind: 'no-configuration', found: null, needed: 'a configuration report' })
        if (withdrawn) return blocked({ ecu: withdrawn.ecu, kind: 'release-withdrawn', found: null, needed: `${withdrawn.version}, ${withdrawn.releaseId}` })
        return evaluateSet(set, vci.ecus)
      }
    },

    /** The vehicles of the set's model, to evaluate in the console (first `limit` by VIN). */
    vinsOf: async (model: string, limit: number) =>
      (await db.all<{ vin: string }>('SELECT vin FROM vehicles WHERE model = ? ORDER BY vin LIMIT ?', [model, limit])).map((r) => r.vin)
  }
}
export type ReleaseSets = ReturnType<typeof createReleaseSets>
