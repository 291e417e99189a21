import type { RunningBackend } from '../../src/backend/server'
import { SignedRoot } from '../../src/shared/tuf/metadata'
import { backendClient } from '../../src/vehicle/backend-client'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { createVehicle, type Vehicle } from '../../src/vehicle/vehicle'
import { apiClient } from './https-client'
import { registerVehicle } from './vehicle-keys'

/**
 * One simulated vehicle of model_a, registered with the backend and connected to the broker as
 * the fleet runner does it: its token from registration, its trust from the backend's first root.
 */
export async function connectedVehicle(backend: RunningBackend, opts: { mqttUrl: string; caCertPem: string; seed: number; ecus: number; adminToken?: string }): Promise<Vehicle> {
  const api = apiClient(backend.url, backend.caCertPem)
  const spec = vehicleSpec(seeded(opts.seed), 0, ['model_a'], opts.ecus)
  const { credentials } = await registerVehicle(api, opts.adminToken ?? backend.firstAdminToken!, {
    vin: spec.vin,
    model: spec.model,
    region: spec.region,
    timeZone: spec.timeZone
  })
  const client = backendClient(backend.url, backend.caCertPem)
  const trustedRoot = SignedRoot.parse(await client.api().tuf.metadata({ file: '1.root.json' }))
  const vehicle = createVehicle({ spec, credentials, backend: client, mqttUrl: opts.mqttUrl, ca: opts.caCertPem, trustedRoot, random: seeded(opts.seed), failureRate: 0 })
  await vehicle.connect()
  return vehicle
}
