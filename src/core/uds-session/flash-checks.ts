import { hexAddress } from '../../shared/uds-client'

/** What a release is for, as its signed metadata says. */
export interface FlashRelease {
  id: string
  model: string
  ecu: string
  version: string
  hardware: readonly string[]
}

/** The vehicle and ECU the image was prepared for (an offline bundle's record of them). */
export interface FlashExpectation {
  vin: string
  model: string
  ecu: string
}

/** What the ECU itself reports: F190 and F191. */
export interface EcuReport {
  vin: string | undefined
  hardware: string | undefined
}

/**
 * Why an image must not go into this ECU, or undefined when every check passes: the release's
 * model and ECU against the vehicle's record, and the ECU's own VIN and hardware against both.
 */
export function flashRefusal(release: FlashRelease, expected: FlashExpectation, target: number, reported: EcuReport): string | undefined {
  const where = `${expected.ecu} at ${hexAddress(target)}`
  if (release.model !== expected.model) return `Release ${release.id} is for model ${release.model}; vehicle ${expected.vin} is a ${expected.model}.`
  if (release.ecu !== expected.ecu) return `Release ${release.id} is for ${release.ecu}, not ${where}.`
  if (reported.vin === undefined) return `${where} did not report its VIN (F190), so the console cannot tell which vehicle it is in.`
  if (reported.vin !== expected.vin) return `${where} reports VIN ${reported.vin}; the image was prepared for ${expected.vin}.`
  if (reported.hardware === undefined) return `${where} did not report its hardware number (F191).`
  if (!release.hardware.includes(reported.hardware)) return `${where} reports hardware ${reported.hardware}; release ${release.id} fits ${release.hardware.join(', ')}.`
  return undefined
}
