import type { VersionReport } from '../shared/protocol/messages'
import type { Random } from './random'

const VIN_CHARS = 'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'
const REGIONS = ['eu', 'jp', 'us', 'cn'] as const
// A region spans zones with their own clocks and daylight-saving rules (and some with none).
const REGION_ZONES: Record<(typeof REGIONS)[number], readonly string[]> = {
  eu: ['Europe/Berlin', 'Europe/London', 'Europe/Helsinki'],
  jp: ['Asia/Tokyo'],
  us: ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'America/Phoenix'],
  cn: ['Asia/Shanghai']
}

export interface VehicleSpec {
  vin: string
  model: string
  region: string
  timeZone: string
  tags: string[]
  config: Omit<VersionReport, 'at'>
}

export const GATEWAY_ADDRESS = 0x0e00
export const hardwareFor = (model: string, ecuIndex: number) => `${model}-ecu${String(ecuIndex).padStart(3, '0')}-hw1`

/** An ECU's serial number, as its supplier stamped it: from the VIN's serial part and the ECU's place (0: the gateway). */
const serialFor = (vin: string, ecuIndex: number) => `SN${vin.slice(11)}${String(ecuIndex).padStart(3, '0')}`

/** A vehicle as its maker built it: VIN, model, region and time zone, and gateway → zonal gateways → ECUs at 1.0.0. */
export function vehicleSpec(random: Random, index: number, models: readonly string[], ecuCount: number): VehicleSpec {
  const model = models[index % models.length]!
  const serial = String(index).padStart(6, '0')
  const vin = `SMV${Array.from({ length: 8 }, () => random.pick([...VIN_CHARS])).join('')}${serial}`
  const zones = Math.min(4, Math.max(1, Math.ceil(ecuCount / 5)))
  const zonalGateways = Array.from({ length: zones }, (_, z) => ({
    id: `ZGW_${String(z + 1).padStart(2, '0')}`,
    logicalAddress: 0x0e01 + z,
    ecus: [] as VersionReport['zonalGateways'][number]['ecus']
  }))
  for (let e = 1; e <= ecuCount; e++) {
    zonalGateways[(e - 1) % zones]!.ecus.push({
      id: `ECU_${String(e).padStart(3, '0')}`,
      logicalAddress: 0x1000 + e,
      hardware: hardwareFor(model, e),
      software: '1.0.0',
      serial: serialFor(vin, e)
    })
  }
  const region = random.pick(REGIONS)
  // By index, not by the random stream, so the fleet's VINs stay what they were before zones.
  const timeZones = REGION_ZONES[region]
  return {
    vin,
    model,
    region,
    timeZone: timeZones[index % timeZones.length]!,
    tags: random.chance(0.1) ? ['pilot'] : [],
    config: { vin, model, gateway: { logicalAddress: GATEWAY_ADDRESS, hardware: `${model}-gw-hw1`, software: '1.0.0', serial: serialFor(vin, 0) }, zonalGateways }
  }
}
