import type { EcuNetwork } from '../ecu/network'
import { type DoipEntity, type DoipEntityOptions, startDoipEntity } from './entity'
import { formatEid } from './node-info'

export interface DoipListenOptions {
  host: string
  /** Vehicle i listens on port + i (TCP and UDP); 0 gives each any free port. */
  port: number
  timers?: DoipEntityOptions['timers']
  log?: (line: string) => void
}

/** One DoIP entity per vehicle, on consecutive ports; all or none start. */
export async function startDoipEntities(networks: readonly EcuNetwork[], options: DoipListenOptions): Promise<DoipEntity[]> {
  const last = options.port + networks.length - 1
  if (options.port !== 0 && last > 0xffff) throw new RangeError(`${networks.length} vehicles from port ${options.port} need ports up to ${last}, past 65535`)
  const entities: DoipEntity[] = []
  try {
    for (const [i, network] of networks.entries()) {
      entities.push(await startDoipEntity({ network, host: options.host, tcpPort: options.port === 0 ? 0 : options.port + i, timers: options.timers, log: options.log }))
    }
  } catch (err) {
    await Promise.all(entities.map((e) => e.close()))
    throw err
  }
  return entities
}

const hex4 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`

/** What a workshop user needs to reach a vehicle: where it listens and the addresses inside it. */
export function describeEntity(entity: DoipEntity, network: EcuNetwork): string[] {
  return [
    `VIN ${entity.info.vin}: DoIP on ${entity.host} TCP ${entity.tcpPort}, UDP ${entity.udpPort}; gateway (entity) ${hex4(entity.info.logicalAddress)}, EID ${formatEid(entity.info.eid)}`,
    `  ECUs: ${network.servers.map((s) => `${s.name} ${hex4(s.address)}`).join(', ')}; functional 0xE400; tester addresses 0x0E00-0x0FFF`
  ]
}
