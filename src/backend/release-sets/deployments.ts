import { randomBytes } from 'node:crypto'
import { blockerText, type Blocker, type Compatibility, type DeploymentView, type ReleaseSetView } from '../../shared/fleet/release-sets'
import type { PackageProgress, UpdatePackage } from '../../shared/protocol/messages'
import type { AuditLog } from '../audit'
import type { Catalog } from '../catalog/catalog'
import type { DataKeys } from '../crypto/data-keys'
import type { Db } from '../db/db'
import { notFound } from '../http/errors'
import type { ReleaseSets } from './release-sets'

interface DeploymentRow {
  id: string
  set_id: string
  vin: string
  state: DeploymentView['state']
  blockers: string
  ecus: string
  failed: string | null
  created_at: string
  created_by: string
  updated_at: string
}

const toView = (r: DeploymentRow): DeploymentView => ({
  id: r.id,
  setId: r.set_id,
  vin: r.vin,
  state: r.state,
  blockers: JSON.parse(r.blockers) as Blocker[],
  ecus: JSON.parse(r.ecus) as DeploymentView['ecus'],
  failed: r.failed ? (JSON.parse(r.failed) as DeploymentView['failed']) : null,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at
})

const ENDED = new Set<DeploymentView['state']>(['blocked', 'succeeded', 'rolled-back'])

/**
 * A release set sent to vehicles: evaluated against each one's configuration, blocked with its
 * reasons or assembled into one package per zonal gateway (each image offered with the data key
 * wrapped for that vehicle), then followed by the vehicle's reports until it succeeds or rolls back.
 */
export function createDeployments(deps: {
  db: Db
  sets: ReleaseSets
  catalog: Catalog
  dataKeys: Pick<DataKeys, 'keyed'>
  audit: AuditLog
  send: (vin: string, pkg: UpdatePackage) => Promise<unknown>
}) {
  const { db } = deps
  const row = (id: string) => db.get<DeploymentRow>('SELECT * FROM set_deployments WHERE id = ?', [id])

  async function deployOne(set: ReleaseSetView, judge: (vin: string) => Promise<Compatibility>, vin: string, by: string): Promise<DeploymentView> {
    const id = `dep_${randomBytes(8).toString('hex')}`
    const now = new Date().toISOString()
    const verdict = await judge(vin)
    const insert = (state: DeploymentView['state'], blockers: Blocker[], ecus: DeploymentView['ecus']) =>
      db.run('INSERT INTO set_deployments (id, set_id, vin, state, blockers, ecus, failed, created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)', [
        id,
        set.id,
        vin,
        state,
        JSON.stringify(blockers),
        JSON.stringify(ecus),
        now,
        by,
        now
      ])
    if (!verdict.compatible) {
      await insert('blocked', verdict.blockers, [])
      return toView((await row(id))!)
    }
    const ecus = verdict.zones.flatMap((z) => z.steps.map((s) => ({ ecu: s.ecu, zone: z.zone, from: s.from, to: s.to, state: 'waiting' as const })))
    if (!ecus.length) {
      await insert('succeeded', [], [])
      return toView((await row(id))!)
    }
    const zones: UpdatePackage['zones'] = []
    for (const zone of verdict.zones) {
      const steps: UpdatePackage['zones'][number]['steps'] = []
      for (const s of zone.steps) {
        const { offer } = await deps.catalog.publishedBlob(s.releaseId, set.model)
        steps.push({ offer: await deps.dataKeys.keyed(vin, await deps.catalog.offerTo(vin, offer)), after: s.after })
      }
      zones.push({ zone: zone.zone, steps })
    }
    await insert('sent', [], ecus)
    await deps.send(vin, { deploymentId: id, setId: set.id, name: set.name, version: set.version, requires: set.requires, zones, at: now })
    return toView((await row(id))!)
  }

  return {
    /** Sends the set to each vehicle it fits; those it does not fit are recorded as blocked, with why. */
    async deploy(set: ReleaseSetView, vins: readonly string[], by: string) {
      const judge = await deps.sets.evaluator(set)
      const deployments: DeploymentView[] = []
      for (const vin of new Set(vins)) deployments.push(await deployOne(set, judge, vin, by))
      return { deployments }
    },

    async list(setId: string) {
      return (await db.all<DeploymentRow>('SELECT * FROM set_deployments WHERE set_id = ? ORDER BY created_at DESC, vin LIMIT 500', [setId])).map(toView)
    },

    async get(id: string) {
      const r = await row(id)
      if (!r) throw notFound(`deployment ${id}`)
      return toView(r)
    },

    /** Whether a deployment not yet ended has offered `releaseId` to this vehicle (so it may download it). */
    async pendingFor(vin: string, releaseId: string) {
      const open = await db.all<{ members: string }>(
        "SELECT s.members FROM set_deployments d JOIN release_sets s ON s.id = d.set_id WHERE d.vin = ? AND d.state IN ('sent', 'installing')",
        [vin]
      )
      return open.some((r) => (JSON.parse(r.members) as { releaseId: string }[]).some((m) => m.releaseId === releaseId))
    },

    /** A vehicle's report on its package; a report on another vehicle's deployment, or after the end, changes nothing. */
    async onProgress(vin: string, p: PackageProgress) {
      const r = await row(p.deploymentId)
      if (!r || r.vin !== vin || ENDED.has(r.state)) return
      const states = new Map(p.ecus.map((e) => [e.ecu, e.state]))
      const ecus = (JSON.parse(r.ecus) as DeploymentView['ecus']).map((e) => ({ ...e, state: states.get(e.ecu) ?? e.state }))
      const state: DeploymentView['state'] = p.state
      await db.run('UPDATE set_deployments SET state = ?, blockers = ?, ecus = ?, failed = ?, updated_at = ? WHERE id = ?', [
        state,
        JSON.stringify(p.blockers ?? []),
        JSON.stringify(ecus),
        p.failed ? JSON.stringify(p.failed) : null,
        p.at,
        r.id
      ])
      if (!ENDED.has(state)) return
      const detail =
        state === 'rolled-back'
          ? `${p.failed?.ecu} failed (${p.failed?.cause}: ${p.failed?.detail}); rolled back ${
              ecus
                .filter((e) => e.state === 'rolled-back')
                .map((e) => e.ecu)
                .join(', ') || 'nothing else'
            }`
          : state === 'blocked'
            ? (p.blockers ?? []).map(blockerText).join('; ')
            : `installed ${ecus.map((e) => `${e.ecu} ${e.to}`).join(', ')}`
      await deps.audit.record({ actor: `vehicle:${vin}`, role: 'device', action: 'release-set.install', object: r.id, outcome: state === 'succeeded' ? 'ok' : 'failed', detail })
    }
  }
}
export type Deployments = ReturnType<typeof createDeployments>
