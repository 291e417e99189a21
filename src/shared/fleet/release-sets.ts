import semver from 'semver'
import { z } from 'zod'
import { EcuId, ModelName, ReleaseId, SemVer } from './catalog'
import { Vin } from './device'

export const ReleaseSetId = z.string().regex(/^rset_[0-9a-f]{16}$/, 'not a release set id')
export const DeploymentId = z.string().regex(/^dep_[0-9a-f]{16}$/, 'not a deployment id')

/** A semver range a vehicle's ECU must satisfy (`>=2.0.0`, `^2.1.0`, `>=1.2.0 <2.0.0`). */
export const VersionRange = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((r) => semver.validRange(r) !== null, 'not a version range (for example >=2.0.0 or ^2.1.0)')

/** One ECU of a vehicle's configuration (VCI), the gateway as GATEWAY behind zone "". */
export const VciEcu = z.object({
  ecu: EcuId,
  zone: z.string(),
  hardware: z.string(),
  software: z.string(),
  serial: z.string().nullable()
})
export type VciEcu = z.infer<typeof VciEcu>

/** The vehicle configuration as reported at one moment; a new snapshot only when something changed. */
export const VciSnapshot = z.object({ at: z.string(), ecus: z.array(VciEcu) })
export type VciSnapshot = z.infer<typeof VciSnapshot>

export const VciHistory = z.object({ vin: Vin, snapshots: z.array(VciSnapshot).describe('newest first, at most 100') })
export type VciHistory = z.infer<typeof VciHistory>

const VCI_FIELDS = ['zone', 'hardware', 'software', 'serial'] as const
export const VciChange = z.object({
  ecu: z.string(),
  change: z.enum(['added', 'removed', 'changed']),
  fields: z.array(z.object({ field: z.enum(VCI_FIELDS), before: z.string().nullable(), after: z.string().nullable() }))
})
export type VciChange = z.infer<typeof VciChange>

/** What changed from configuration `before` to `after`, ECU by ECU: added, removed, or which fields changed. */
export function diffVci(before: readonly VciEcu[], after: readonly VciEcu[]): VciChange[] {
  const was = new Map(before.map((e) => [e.ecu, e]))
  const is = new Map(after.map((e) => [e.ecu, e]))
  const ids = [...new Set([...was.keys(), ...is.keys()])].sort()
  const changes: VciChange[] = []
  for (const ecu of ids) {
    const a = was.get(ecu)
    const b = is.get(ecu)
    const fields = VCI_FIELDS.filter((f) => a?.[f] !== b?.[f]).map((field) => ({ field, before: a?.[field] ?? null, after: b?.[field] ?? null }))
    if (!a) changes.push({ ecu, change: 'added', fields })
    else if (!b) changes.push({ ecu, change: 'removed', fields })
    else if (fields.length) changes.push({ ecu, change: 'changed', fields })
  }
  return changes
}

export const CreateReleaseSet = z
  .object({
    model: ModelName,
    name: z.string().trim().min(1).max(64),
    version: SemVer,
    notes: z.string().max(10_000).default(''),
    /** The ECU images, each a published release of the model; `after`: ECUs of the set installed before it. */
    members: z
      .array(z.object({ releaseId: ReleaseId, after: z.array(EcuId).max(32).default([]) }).strict())
      .min(1)
      .max(32),
    /** Versions other ECUs must run (or, for a member, the version the set brings must satisfy). */
    requires: z
      .array(z.object({ ecu: EcuId, range: VersionRange }).strict())
      .max(32)
      .default([])
  })
  .strict()
export type CreateReleaseSet = z.input<typeof CreateReleaseSet>

export const SetMember = z.object({ releaseId: ReleaseId, ecu: EcuId, version: SemVer, hardware: z.array(z.string()), after: z.array(EcuId) })
export type SetMember = z.infer<typeof SetMember>
export const Requirement = z.object({ ecu: EcuId, range: z.string() })
export type Requirement = z.infer<typeof Requirement>

export const ReleaseSetView = z.object({
  id: ReleaseSetId,
  model: ModelName,
  name: z.string(),
  version: SemVer,
  notes: z.string(),
  members: z.array(SetMember),
  requires: z.array(Requirement),
  createdAt: z.string(),
  createdBy: z.string()
})
export type ReleaseSetView = z.infer<typeof ReleaseSetView>

/** Why a vehicle cannot take a set, by ECU: the console words each kind in the user's language. */
export const Blocker = z.object({
  ecu: z.string(),
  kind: z.enum(['ecu-missing', 'hardware-mismatch', 'version-required', 'downgrade', 'wrong-model', 'no-configuration', 'release-withdrawn']),
  found: z.string().nullable().describe('what the vehicle has: hardware id or software version; null when the ECU is missing'),
  needed: z.string().describe('hardware ids the image fits, the version range required, or the version the set brings')
})
export type Blocker = z.infer<typeof Blocker>

/** One ECU's install in a zone's package: after the ECUs in `after` (in any zone) have installed. */
export const PlannedStep = z.object({ ecu: EcuId, releaseId: ReleaseId, from: z.string(), to: SemVer, after: z.array(EcuId) })
export type PlannedStep = z.infer<typeof PlannedStep>
export const ZonePlan = z.object({ zone: z.string(), steps: z.array(PlannedStep) })
export type ZonePlan = z.infer<typeof ZonePlan>

export const Compatibility = z.discriminatedUnion('compatible', [
  z.object({ compatible: z.literal(true), zones: z.array(ZonePlan), alreadyInstalled: z.array(EcuId) }),
  z.object({ compatible: z.literal(false), blockers: z.array(Blocker).min(1) })
])
export type Compatibility = z.infer<typeof Compatibility>

const BLOCKER_TEXT: Record<Blocker['kind'], (b: Blocker) => string> = {
  'ecu-missing': (b) => `${b.ecu} is not in the vehicle (the set needs ${b.needed})`,
  'hardware-mismatch': (b) => `${b.ecu} is hardware ${b.found}; the image fits ${b.needed}`,
  'version-required': (b) => `${b.ecu} runs ${b.found}; the set needs ${b.needed}`,
  downgrade: (b) => `${b.ecu} runs ${b.found}, newer than the set's ${b.needed}`,
  'wrong-model': (b) => `the vehicle is a ${b.found}; the set is for ${b.needed}`,
  'no-configuration': () => 'the vehicle has not reported its configuration yet',
  'release-withdrawn': (b) => `the image for ${b.ecu} (${b.needed}) was withdrawn`
}
/** A blocker in English, for logs and API users; the console words each kind itself. */
export const blockerText = (b: Blocker) => BLOCKER_TEXT[b.kind](b)

/**
 * The order the set's ECUs install in: each after the ECUs it names. Answers the ECUs in an order
 * that keeps every `after`, or why there is none (an unknown ECU, an ECU twice, a cycle).
 */
export function installOrder(members: readonly { ecu: string; after: readonly string[] }[]): { order: string[] } | { error: string } {
  const ecus = new Set<string>()
  for (const m of members) {
    if (ecus.has(m.ecu)) return { error: `${m.ecu} is in the set twice` }
    ecus.add(m.ecu)
  }
  for (const m of members) {
    const unknown = m.after.find((a) => !ecus.has(a))
    if (unknown) return { error: `${m.ecu} installs after ${unknown}, which is not in the set` }
  }
  const order: string[] = []
  const left = new Map(members.map((m) => [m.ecu, new Set(m.after)]))
  while (left.size) {
    const ready = [...left.keys()].filter((e) => [...left.get(e)!].every((a) => order.includes(a))).sort()
    if (!ready.length) return { error: `the install order has a cycle among ${[...left.keys()].sort().join(', ')}` }
    for (const e of ready) {
      order.push(e)
      left.delete(e)
    }
  }
  return { order }
}

/** Whether every requirement holds once the set's versions are in: the blockers otherwise. */
export function unmetRequirements(requires: readonly Requirement[], versionAfter: (ecu: string) => string | undefined): Blocker[] {
  return requires.flatMap((r): Blocker[] => {
    const found = versionAfter(r.ecu)
    if (found === undefined) return [{ ecu: r.ecu, kind: 'ecu-missing', found: null, needed: r.range }]
    return semver.satisfies(found, r.range, { includePrerelease: true }) ? [] : [{ ecu: r.ecu, kind: 'version-required', found, needed: r.range }]
  })
}

/**
 * A set evaluated against one vehicle's configuration: what blocks it, or the package for each
 * zonal gateway (the ECUs behind it that need their image, in install order). A member whose ECU
 * already runs its version is left out, and an `after` naming it is already met.
 */
export function evaluateSet(set: { members: readonly SetMember[]; requires: readonly Requirement[] }, vci: readonly VciEcu[]): Compatibility {
  const byEcu = new Map(vci.map((e) => [e.ecu, e]))
  const blockers: Blocker[] = []
  for (const m of set.members) {
    const ecu = byEcu.get(m.ecu)
    if (!ecu) blockers.push({ ecu: m.ecu, kind: 'ecu-missing', found: null, needed: m.hardware.join(', ') })
    else if (!m.hardware.includes(ecu.hardware)) blockers.push({ ecu: m.ecu, kind: 'hardware-mismatch', found: ecu.hardware, needed: m.hardware.join(', ') })
    else if (semver.valid(ecu.software) && semver.gt(ecu.software, m.version)) blockers.push({ ecu: m.ecu, kind: 'downgrade', found: ecu.software, needed: m.version })
  }
  const brings = new Map(set.members.map((m) => [m.ecu, m.version]))
  blockers.push(...unmetRequirements(set.requires, (ecu) => brings.get(ecu) ?? byEcu.get(ecu)?.software))
  if (blockers.length) return { compatible: false, blockers }
  const ordered = installOrder(set.members)
  if ('error' in ordered) throw new Error(ordered.error)
  const needed = set.members.filter((m) => byEcu.get(m.ecu)!.software !== m.version)
  const pending = new Set(needed.map((m) => m.ecu))
  const zones = new Map<string, PlannedStep[]>()
  for (const ecu of ordered.order.filter((e) => pending.has(e))) {
    const m = needed.find((n) => n.ecu === ecu)!
    const zone = byEcu.get(ecu)!.zone
    const step = { ecu, releaseId: m.releaseId, from: byEcu.get(ecu)!.software, to: m.version, after: m.after.filter((a) => pending.has(a)) }
    zones.set(zone, [...(zones.get(zone) ?? []), step])
  }
  return {
    compatible: true,
    zones: [...zones].sort(([a], [b]) => a.localeCompare(b)).map(([zone, steps]) => ({ zone, steps })),
    alreadyInstalled: set.members.filter((m) => !pending.has(m.ecu)).map((m) => m.ecu)
  }
}

export const DeploymentState = z.enum(['blocked', 'sent', 'installing', 'succeeded', 'rolled-back'])
export const EcuInstallState = z.enum(['waiting', 'installing', 'installed', 'failed', 'rolled-back', 'skipped'])

/** A release set sent to one vehicle: per-zone packages, each ECU's state, and the one that failed. */
export const DeploymentView = z.object({
  id: DeploymentId,
  setId: ReleaseSetId,
  vin: Vin,
  state: DeploymentState,
  blockers: z.array(Blocker),
  ecus: z.array(z.object({ ecu: z.string(), zone: z.string(), from: z.string(), to: z.string(), state: EcuInstallState })),
  failed: z.object({ ecu: z.string(), cause: z.string(), detail: z.string() }).nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string()
})
export type DeploymentView = z.infer<typeof DeploymentView>

export const VehicleCompatibility = z.object({ vin: Vin, compatibility: Compatibility })
