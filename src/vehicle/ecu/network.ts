import type { VersionReport } from '../../shared/protocol/messages'
import { seeded } from '../random'
import { type EcuClock, hashSeed, realClock } from './clock'
import type { EcuSettings } from './context'
import { seedDtcDefinitions } from './dtc-seed'
import { createEcuServer, type EcuServer } from './server'

/** The address a tester sends to when every ECU should hear the request (functional addressing). */
export const FUNCTIONAL_ADDRESS = 0xe400

export interface EcuNetworkOptions {
  /** The vehicle's configuration; its gateway and ECU entries change in place when flashed. */
  config: Omit<VersionReport, 'at'>
  clock?: EcuClock
  settings?: Partial<EcuSettings>
  seedBytes?: () => Uint8Array
  /** A flash activated new software: the vehicle reports its versions again. */
  onSoftwareChanged?: (ecu: string, version: string) => void
  log?: (line: string) => void
}

export interface EcuNetwork {
  readonly vin: string
  /** The gateway answers UDS at the DoIP entity's own logical address. */
  readonly gatewayAddress: number
  /** Gateway first, then the ECUs in address order. */
  readonly servers: readonly EcuServer[]
  server(address: number): EcuServer | undefined
}

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/**
 * The UDS servers of one vehicle: the gateway and every ECU behind its zonal gateways. Identities,
 * DTCs and the odometer come from the VIN, so a vehicle is the same on every run.
 */
export function createEcuNetwork(options: EcuNetworkOptions): EcuNetwork {
  const { config } = options
  const clock = options.clock ?? realClock
  const vehicleRandom = seeded(hashSeed(config.vin))
  const odometerBaseKm = vehicleRandom.int(5_000, 80_000)
  const startedAt = clock.now()
  // One km a minute while simulated; the battery wanders a little from minute to minute.
  const environment = (at: number) => {
    const minute = Math.max(0, Math.floor((at - startedAt) / 60_000))
    return { odometerKm: odometerBaseKm + minute, batteryMv: 12_400 + Math.floor(seeded(hashSeed(`${config.vin}/${minute}`)).next() * 1200) }
  }

  const make = (name: string, systemName: string, node: { logicalAddress: number; hardware: string; software: string }) => {
    const random = seeded(hashSeed(`${config.vin}/${node.logicalAddress}`))
    return createEcuServer({
      identity: {
        vin: config.vin,
        name,
        systemName,
        sparePartNumber: `${config.model}-${name}`.toUpperCase(),
        softwareNumber: `SW${pad(random.int(0, 99_999_999), 8)}`,
        serialNumber: `SN${config.vin.slice(-6)}${node.logicalAddress.toString(16).toUpperCase().padStart(4, '0')}`,
        supplier: 'OTA-SIM',
        manufacturingDate: `${pad(random.int(20, 24), 2)}${pad(random.int(1, 12), 2)}${pad(random.int(1, 28), 2)}`
      },
      node,
      dtcDefinitions: seedDtcDefinitions(random),
      dtcSeed: hashSeed(`${config.vin}/${node.logicalAddress}/dtc`),
      environment,
      settings: options.settings,
      clock,
      seedBytes: options.seedBytes,
      onSoftwareChanged: (version) => options.onSoftwareChanged?.(name, version),
      log: options.log
    })
  }

  const gateway = make('GATEWAY', 'Central gateway', config.gateway)
  const ecus = config.zonalGateways
    .flatMap((zone) => zone.ecus.map((ecu) => ({ ecu, zone })))
    .sort((a, b) => a.ecu.logicalAddress - b.ecu.logicalAddress)
    .map(({ ecu, zone }) => make(ecu.id, `${ecu.id} behind ${zone.id}`, ecu))
  const servers = [gateway, ...ecus]
  const byAddress = new Map(servers.map((server) => [server.address, server]))
  return { vin: config.vin, gatewayAddress: gateway.address, servers, server: (address) => byAddress.get(address) }
}
