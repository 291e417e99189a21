import type { BundleVehicle } from '../../../../shared/bundle/manifest'
import type { VehicleDetail } from '../../../../shared/fleet/registry'

/** One node to identify: its id and zonal gateway when a record names them, else only its address. */
export interface EcuNode {
  ecu: string | null
  address: number
  zonalGateway: string | null
}

/** Where the ECU list came from: an imported bundle holding the VIN, the fleet's registry, or a scan. */
export type EcuSource = 'bundle' | 'fleet' | 'scan'

/** Addresses asked when no record of the vehicle is at hand (the simulator's ECUs start at 0x1001). */
export const SCAN_FIRST = 0x1001
export const SCAN_LAST = 0x1010

/** The gateway first (the DoIP entity answers for it), then the recorded ECUs in address order. */
export function recordedNodes(gateway: number, record: Pick<BundleVehicle, 'ecus'> | Pick<VehicleDetail, 'ecus'>): EcuNode[] {
  const ecus = [...record.ecus].sort((a, b) => a.logicalAddress - b.logicalAddress)
  return [{ ecu: 'GATEWAY', address: gateway, zonalGateway: null }, ...ecus.map((e) => ({ ecu: e.id, address: e.logicalAddress, zonalGateway: e.zonalGateway }))]
}

export function scanNodes(gateway: number, first = SCAN_FIRST, last = SCAN_LAST): EcuNode[] {
  return [{ ecu: 'GATEWAY', address: gateway, zonalGateway: null }, ...Array.from({ length: last - first + 1 }, (_, i) => ({ ecu: null, address: first + i, zonalGateway: null }))]
}
