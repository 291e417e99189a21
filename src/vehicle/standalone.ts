import { describeEntity, type DoipListenOptions, startDoipEntities } from './doip/entities'
import type { EcuSettings } from './ecu/context'
import { createEcuNetwork } from './ecu/network'
import { vehicleSpec } from './fleet-spec'
import { seeded } from './random'

export interface StandaloneOptions {
  count: number
  models: string[]
  ecus: number
  seed: number
  doip: DoipListenOptions
  /** E.g. a larger maxNumberOfBlockLength, for a bench with a fast link (DoIP is not bound by the MQTT relay's size). */
  ecuSettings?: Partial<EcuSettings>
  log: (line: string) => void
}

/**
 * Vehicles with no backend at all, for the workshop case: each one's gateway and ECUs answer
 * UDS through its DoIP entity. The same seed makes the same VINs and ECUs as a backed fleet.
 */
export async function startStandaloneVehicles(options: StandaloneOptions) {
  const random = seeded(options.seed)
  const specs = Array.from({ length: options.count }, (_, i) => vehicleSpec(random, i, options.models, options.ecus))
  const networks = specs.map((spec) =>
    createEcuNetwork({
      config: structuredClone(spec.config),
      settings: options.ecuSettings,
      onSoftwareChanged: (ecu, version) => options.log(`${spec.vin} ${ecu}: flashed, now runs ${version}`),
      log: options.log
    })
  )
  const entities = await startDoipEntities(networks, options.doip)
  return {
    specs,
    entities,
    describe: () => entities.flatMap((entity, i) => describeEntity(entity, networks[i]!)),
    stop: () => Promise.all(entities.map((e) => e.close())).then(() => undefined)
  }
}
