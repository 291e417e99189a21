import type { ResultStep } from '../../shared/bundle/manifest'
import type { FlashProgress } from '../../shared/diag'
import type { BundleService } from '../bundles/bundle-service'
import { refused } from './errors'
import type { FlashFirmware, FlashResult } from './session'

const hex = (address: number) => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * A workshop flash from an imported offline bundle: the vehicle by the VIN its DoIP entity
 * reports, the ECU by the address asked for, the image as the bundle service verifies and opens
 * it; and how to record what happened in the bundle's results.
 */
export async function workshopFlash(bundles: BundleService, bundleId: string, vin: string | null, target: number) {
  if (!vin) throw refused('The DoIP entity did not report its VIN (F190), so the console cannot tell which vehicle of the bundle this is.')
  const detail = await bundles.get(bundleId)
  const vehicle = detail.vehicles.find((v) => v.vin === vin)
  if (!vehicle) throw refused(`Vehicle ${vin} is not in bundle ${bundleId}.`)
  const ecu = vehicle.ecus.find((e) => e.logicalAddress === target)
  if (!ecu) throw refused(`Bundle ${bundleId} has no ECU of ${vin} at ${hex(target)}.`)
  const opened = await bundles.openImage(bundleId, vin, ecu.id)
  const firmware: FlashFirmware = {
    kind: 'image',
    image: new Uint8Array(opened.image.buffer, opened.image.byteOffset, opened.image.length),
    release: opened.release,
    expected: { vin, model: opened.vehicle.model, ecu: ecu.id }
  }
  const startedAt = new Date().toISOString()
  const steps: ResultStep[] = []
  /** The step log of the result: each step as it starts. */
  const track = (p: FlashProgress) => {
    if (steps.at(-1)?.step !== p.step && steps.length < 500) steps.push({ at: new Date().toISOString(), step: p.step, detail: `${p.bytesSent} of ${p.bytesTotal} bytes` })
  }
  const record = async ({ result, error }: { result?: FlashResult; error?: Error }) => {
    await bundles.recordResult(bundleId, {
      vin,
      ecu: ecu.id,
      outcome: result ? 'succeeded' : 'failed',
      cause: result ? null : 'install-error',
      detail: error ? error.message.slice(0, 500) : null,
      versionBefore: result?.versionBefore ?? ecu.software,
      versionAfter: result?.versionAfter ?? null,
      startedAt,
      finishedAt: new Date().toISOString(),
      steps
    })
  }
  return { firmware, track, record }
}
