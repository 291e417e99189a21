import type { ReleaseView } from '../../shared/fleet/catalog'
import type { VehicleDetail } from '../../shared/fleet/registry'

const hex = (address: number) => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * The ECU a release may be flashed into on this vehicle, or why not: the release's model and ECU
 * against the vehicle, its hardware against what the ECU last reported, and the address asked
 * for against the registry's. The gateway checks again with TUF before it writes anything.
 */
export function flashTarget(vehicle: VehicleDetail, release: ReleaseView, targetAddress: number | undefined): { ecu: string; targetAddress: number } | string {
  if (release.model !== vehicle.model) return `Release ${release.id} is for model ${release.model}; vehicle ${vehicle.vin} is a ${vehicle.model}.`
  const ecu = release.ecu === 'GATEWAY' && vehicle.gateway ? { id: 'GATEWAY', ...vehicle.gateway } : vehicle.ecus.find((e) => e.id === release.ecu)
  if (!ecu) return `Vehicle ${vehicle.vin} has no ${release.ecu} in its last version report.`
  if (targetAddress !== undefined && targetAddress !== ecu.logicalAddress)
    return `Release ${release.id} is for ${release.ecu}, which is at ${hex(ecu.logicalAddress)} in vehicle ${vehicle.vin}, not ${hex(targetAddress)}.`
  if (!release.hardware.includes(ecu.hardware))
    return `${release.ecu} of vehicle ${vehicle.vin} is hardware ${ecu.hardware}; release ${release.id} fits ${release.hardware.join(', ')}.`
  return { ecu: ecu.id, targetAddress: ecu.logicalAddress }
}
