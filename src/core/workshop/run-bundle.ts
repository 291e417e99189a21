import type { BundleVehicle, ResultStep, WorkshopResult } from '../../shared/bundle/manifest'
import type { BundleDetail } from '../../shared/calls/bundles'
import { FlashAbortedError, type FlashProgress, hexAddress } from '../../shared/uds-client'
import { OtaError } from '../../shared/errors'
import { DID, type SecurityKeyAlgorithm } from '../../shared/uds'
import type { BundleService } from '../bundles/bundle-service'
import { refused } from '../uds-session/errors'
import type { DiagSession } from '../uds-session/session'
import { failureCauseOf, ImageUnavailableError } from './failure-cause'

/**
 * A workshop flashes one vehicle from an imported offline bundle over DoIP, with no backend: the
 * vehicle must be the bundle's (its gateway's F190), each ECU the bundle has firmware for gets
 * its image (verified again), the flash sequence, and F195 read back; every attempt is recorded
 * with the bundle service, whose signed results file takes it back to the job.
 */

export interface WorkshopRunOptions {
  bundleId: string
  vin: string
  /** Only these ECUs, by id (ECU_001) or logical address; by default every ECU the bundle has firmware for. */
  ecus?: readonly (string | number)[]
  /** Flash an ECU even when it already runs the release's version. */
  force?: boolean
  signal?: AbortSignal
  keyAlgorithm?: SecurityKeyAlgorithm
}

export interface PlannedEcu {
  id: string
  address: number
  release: { id: string; version: string }
}

export type EcuOutcome =
  | { ecu: PlannedEcu; state: 'succeeded' | 'failed'; result: WorkshopResult; error?: Error }
  /** Already on the release's version (recorded as a success unless one was), or not reached after an abort. */
  | { ecu: PlannedEcu; state: 'skipped'; result: WorkshopResult | null; reason: string }

export type WorkshopEvent =
  | { type: 'vehicle'; vin: string; gateway: number; ecus: PlannedEcu[] }
  | { type: 'ecuStarted'; ecu: PlannedEcu; versionBefore: string | null }
  | { type: 'progress'; ecu: PlannedEcu; progress: FlashProgress }
  | { type: 'ecuFinished'; outcome: EcuOutcome }

export interface WorkshopRun {
  bundleId: string
  vin: string
  ecus: EcuOutcome[]
}

export interface WorkshopDeps {
  bundles: BundleService
  /** Opens a diagnostic session with the vehicle's DoIP entity, once the run knows what to flash; the run closes it. */
  connect(): Promise<DiagSession>
  onEvent?(event: WorkshopEvent): void
  now?: () => number
}

const DETAIL_MAX = 500
const clip = (text: string) => (text.length > DETAIL_MAX ? `${text.slice(0, DETAIL_MAX - 1)}…` : text)
const GATEWAY_ADDRESS = 0x0e00

export async function runBundle(deps: WorkshopDeps, options: WorkshopRunOptions): Promise<WorkshopRun> {
  const now = deps.now ?? Date.now
  const { bundleId, vin } = options
  const detail = await deps.bundles.get(bundleId)
  const vehicle = detail.vehicles.find((v) => v.vin === vin)
  if (!vehicle) throw new OtaError('NOT_FOUND', `Vehicle ${vin} is not in bundle ${bundleId}; it holds ${detail.vehicles.map((v) => v.vin).join(', ')}.`)
  if (detail.bundle.expired) throw new ImageUnavailableError(`Bundle ${bundleId} expired at ${detail.bundle.expiresAt}; ask for a new one.`, true, { cause: undefined })

  const plan = planEcus(
    vehicle.ecus,
    detail.releases.filter((r) => r.model === vehicle.model),
    options.ecus,
    `${vin} in bundle ${bundleId}`
  )
  const session = await deps.connect()
  try {
    return await flashVehicle({ ...deps, now }, session, options, { detail, vehicle, plan })
  } finally {
    await session.close()
  }
}

async function flashVehicle(
  deps: WorkshopDeps & { now: () => number },
  session: DiagSession,
  options: WorkshopRunOptions,
  { detail, vehicle, plan }: { detail: BundleDetail; vehicle: BundleVehicle; plan: PlannedEcu[] }
): Promise<WorkshopRun> {
  const { bundles, now } = deps
  const { bundleId, vin, signal } = options
  const iso = () => new Date(now()).toISOString()
  const readText = async (address: number, did: number) => {
    const value = (await session.readDids(address, [did]))[0]?.value
    return value === undefined || value === null ? null : String(value)
  }

  const gateway = vehicle.gateway?.logicalAddress ?? GATEWAY_ADDRESS
  const reportedVin = await readText(gateway, DID.vin)
  if (reportedVin !== vin) {
    throw refused(
      `The vehicle on this DoIP connection reports VIN ${reportedVin ?? '(none)'} at its gateway ${hexAddress(gateway)}; bundle ${bundleId} is being run for ${vin}. Nothing was flashed.`
    )
  }
  deps.onEvent?.({ type: 'vehicle', vin, gateway, ecus: plan })

  const finished = (outcome: EcuOutcome) => (deps.onEvent?.({ type: 'ecuFinished', outcome }), outcome)
  const outcomes: EcuOutcome[] = []
  for (const ecu of plan) {
    if (signal?.aborted) {
      outcomes.push(finished({ ecu, state: 'skipped', result: null, reason: 'the run was aborted before this ECU' }))
      continue
    }
    const startedAt = iso()
    const steps: ResultStep[] = []
    const step = (name: string, text?: string) => steps.push(text === undefined ? { at: iso(), step: name } : { at: iso(), step: name, detail: clip(text) })
    const versionBefore = await readText(ecu.address, DID.supplierEcuSoftwareVersion).catch(() => null)
    deps.onEvent?.({ type: 'ecuStarted', ecu, versionBefore })

    if (versionBefore === ecu.release.version && !options.force) {
      const earlier = detail.results.find((r) => r.vin === vin && r.ecu === ecu.id && r.outcome === 'succeeded') ?? null
      step('already-installed', `F195 reports ${versionBefore} before any flash`)
      const result =
        earlier ??
        (await bundles.recordResult(bundleId, { vin, ecu: ecu.id, outcome: 'succeeded', versionBefore, versionAfter: versionBefore, startedAt, finishedAt: iso(), steps }))
      outcomes.push(finished({ ecu, state: 'skipped', result, reason: `already runs ${versionBefore}` }))
      continue
    }

    try {
      const image = await bundles.openImage(bundleId, vin, ecu.id).catch((err: Error) => {
        const expired = Date.parse(detail.bundle.expiresAt) <= now()
        throw new ImageUnavailableError(`The image of release ${ecu.release.id} for ${ecu.id} was refused: ${err.message}`, expired, { cause: err })
      })
      step('verify', `image of release ${image.release.id}, sha256 ${image.release.imageSha256.slice(0, 16)}…, matches its TUF target`)
      let phase = ''
      const outcome = await session.flash(
        ecu.address,
        { kind: 'image', image: image.image, release: image.release, expected: { vin, model: vehicle.model, ecu: ecu.id } },
        {
          signal,
          keyAlgorithm: options.keyAlgorithm,
          onProgress: (progress) => {
            if (progress.step !== phase) step((phase = progress.step))
            deps.onEvent?.({ type: 'progress', ecu, progress })
          }
        }
      )
      step('done', `${outcome.bytes} bytes in ${outcome.blocks} blocks; F195 reads ${outcome.versionAfter} after the reset`)
      const result = await bundles.recordResult(bundleId, {
        vin,
        ecu: ecu.id,
        outcome: 'succeeded',
        versionBefore: outcome.versionBefore ?? versionBefore,
        versionAfter: outcome.versionAfter,
        startedAt,
        finishedAt: iso(),
        steps
      })
      outcomes.push(finished({ ecu, state: 'succeeded', result }))
    } catch (err) {
      const error = err as Error
      step('failed', error.message)
      // What runs now: the old version after an interrupted flash, as the ECU keeps it.
      const versionAfter = await readText(ecu.address, DID.supplierEcuSoftwareVersion).catch(() => null)
      const result = await bundles.recordResult(bundleId, {
        vin,
        ecu: ecu.id,
        outcome: 'failed',
        cause: failureCauseOf(error),
        detail: clip(error instanceof FlashAbortedError ? `Aborted by the tester: ${error.message}` : error.message),
        versionBefore,
        versionAfter,
        startedAt,
        finishedAt: iso(),
        steps
      })
      outcomes.push(finished({ ecu, state: 'failed', result, error }))
    }
  }
  return { bundleId, vin, ecus: outcomes }
}

/** The vehicle's ECUs the bundle has a release for, in address order, narrowed to those asked for. */
function planEcus(
  ecus: readonly { id: string; logicalAddress: number }[],
  releases: readonly { id: string; ecu: string; version: string }[],
  wanted: WorkshopRunOptions['ecus'],
  where: string
): PlannedEcu[] {
  const all = ecus
    .flatMap((e) => {
      const release = releases.find((r) => r.ecu === e.id)
      return release ? [{ id: e.id, address: e.logicalAddress, release: { id: release.id, version: release.version } }] : []
    })
    .sort((a, b) => a.address - b.address)
  if (all.length === 0) throw new OtaError('NOT_FOUND', `The bundle has no firmware for any ECU of ${where}.`)
  if (!wanted?.length) return all
  return wanted.map((w) => {
    const found = all.find((e) => (typeof w === 'number' ? e.address === w : e.id === w))
    if (!found) {
      const name = typeof w === 'number' ? hexAddress(w) : w
      throw new OtaError('NOT_FOUND', `The bundle has no firmware for ${name} of ${where}; it has firmware for ${all.map((e) => `${e.id} (${hexAddress(e.address)})`).join(', ')}.`)
    }
    return found
  })
}
