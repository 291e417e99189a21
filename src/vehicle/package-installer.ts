import semver from 'semver'
import type { OfferedUpdate } from '../shared/fleet/device'
import { unmetRequirements, type Blocker } from '../shared/fleet/release-sets'
import type { EcuReport, FailureCause, PackageProgress, UpdatePackage } from '../shared/protocol/messages'

type EcuState = PackageProgress['ecus'][number]['state']

export interface PackageInstallerDeps {
  /** The vehicle's ECUs by zonal gateway, as it reports them (changed in place as they install). */
  zones: () => { id: string; ecus: EcuReport[] }[]
  /** The offer's image, verified against its signed TUF target for this ECU (and rollback-checked by the caller's rules). */
  verifiedImage: (offer: OfferedUpdate, ecu: EcuReport) => Promise<{ image: Buffer; version: string }>
  /** Writes the image into the ECU; throws when the ECU rejects it. */
  flash: (ecu: EcuReport, image: Buffer) => Promise<void>
  /** Each ECU's own steps, for the vehicle's update history. */
  progress: (offer: OfferedUpdate, step: 'installing' | 'done' | 'failed' | 'canceled', extra?: { cause?: FailureCause; detail?: string }) => Promise<unknown>
  publish: (progress: PackageProgress) => Promise<unknown>
  /** Sends the configuration again (after the install and after a rollback). */
  reportConfig: () => Promise<unknown>
}

class StepFailed extends Error {
  constructor(
    override readonly cause: FailureCause,
    message: string
  ) {
    super(message)
  }
}

/**
 * A release set on the vehicle gateway. It checks the package's requirements against its own
 * configuration, hands each zonal gateway its package, and the zones install in parallel, one ECU
 * at a time each, every ECU after those it names (in any zone). When one fails, nothing more
 * starts, those in flight finish, and every ECU of the package that installed goes back to its
 * previous image: the report names the one that failed and why.
 */
export function createPackageInstaller(deps: PackageInstallerDeps) {
  const ecuOf = (id: string) => {
    for (const z of deps.zones()) {
      const ecu = z.ecus.find((e) => e.id === id)
      if (ecu) return { zone: z.id, ecu }
    }
    return undefined
  }

  function blockersOf(pkg: UpdatePackage): Blocker[] {
    const steps = pkg.zones.flatMap((z) => z.steps.map((s) => ({ zone: z.zone, offer: s.offer })))
    const missing = steps
      .filter((s) => ecuOf(s.offer.ecu)?.zone !== s.zone)
      .map((s): Blocker => ({ ecu: s.offer.ecu, kind: 'ecu-missing', found: null, needed: `behind ${s.zone}` }))
    const brings = new Map(steps.map((s) => [s.offer.ecu, s.offer.version]))
    return [...missing, ...unmetRequirements(pkg.requires, (ecu) => brings.get(ecu) ?? ecuOf(ecu)?.ecu.software)]
  }

  return async function install(pkg: UpdatePackage, faults: ReadonlyMap<string, FailureCause>) {
    const steps = pkg.zones.flatMap((z) => z.steps)
    const states = new Map<string, EcuState>(steps.map((s) => [s.offer.ecu, 'waiting']))
    const publish = (state: PackageProgress['state'], extra: Partial<PackageProgress> = {}) =>
      deps.publish({ deploymentId: pkg.deploymentId, state, ecus: [...states].map(([ecu, s]) => ({ ecu, state: s })), ...extra, at: new Date().toISOString() })

    const blockers = blockersOf(pkg)
    if (blockers.length) return void (await publish('blocked', { blockers }))
    await publish('installing')

    const previous = new Map<string, string>()
    let failed: PackageProgress['failed']
    const finished = new Map<string, { promise: Promise<boolean>; resolve: (ok: boolean) => void }>()
    for (const s of steps) {
      let resolve!: (ok: boolean) => void
      finished.set(s.offer.ecu, { promise: new Promise<boolean>((r) => (resolve = r)), resolve })
    }

    async function step(s: UpdatePackage['zones'][number]['steps'][number]) {
      const ready = await Promise.all(s.after.map((a) => finished.get(a)?.promise ?? true))
      if (failed || !ready.every(Boolean)) return (states.set(s.offer.ecu, 'skipped'), false)
      const { ecu } = ecuOf(s.offer.ecu)!
      states.set(ecu.id, 'installing')
      await publish('installing')
      await deps.progress(s.offer, 'installing')
      try {
        const { image, version } = await deps.verifiedImage(s.offer, ecu)
        if (!semver.gt(version, ecu.software)) throw new StepFailed('rollback-refused', `${version} is not newer than the installed ${ecu.software}`)
        const fault = faults.get(ecu.id)
        if (fault) throw new StepFailed(fault, `${ecu.id} rejected the image while flashing`)
        await deps.flash(ecu, image)
        previous.set(ecu.id, ecu.software)
        ecu.software = version
        states.set(ecu.id, 'installed')
        await deps.progress(s.offer, 'done')
        await publish('installing')
        return true
      } catch (err) {
        const cause: FailureCause = err instanceof StepFailed ? err.cause : ((err as { cause?: FailureCause }).cause ?? 'install-error')
        const detail = (err as Error).message.slice(0, 500)
        failed ??= { ecu: ecu.id, cause, detail }
        states.set(ecu.id, 'failed')
        await deps.progress(s.offer, 'failed', { cause, detail })
        return false
      }
    }

    await Promise.all(
      pkg.zones.map(async (zone) => {
        for (const s of zone.steps) finished.get(s.offer.ecu)!.resolve(await step(s))
      })
    )
    if (!failed) {
      await deps.reportConfig()
      return void (await publish('succeeded'))
    }
    // Every ECU of the update goes back: a vehicle half on the new set is the state the set forbids.
    for (const [id, version] of [...previous].reverse()) {
      ecuOf(id)!.ecu.software = version
      states.set(id, 'rolled-back')
      await deps.progress(steps.find((s) => s.offer.ecu === id)!.offer, 'failed', {
        cause: 'rolled-back',
        detail: `rolled back to ${version}: ${failed.ecu} of the same update failed`
      })
    }
    await deps.reportConfig()
    await publish('rolled-back', { failed })
  }
}
