import type { BackendSession } from '../backend/backend-session'
import { createRelayTransport } from '../uds-session/remote/relay-transport'
import { createDiagSession } from '../uds-session/session'
import type { RunVehicle } from './batch-runner'

/**
 * A fleet vehicle for a run: its ECUs as the backend's registry places them (the gateway first,
 * then each ECU behind its zonal gateway), asked through the backend's relay.
 */
export async function openRemoteVehicle(backend: BackendSession, vin: string, signal: AbortSignal): Promise<RunVehicle> {
  const client = await backend.client()
  const detail = await client.vehicles.get({ vin }, { signal })
  const session = createDiagSession(createRelayTransport({ client: () => backend.client(), vin }))
  return {
    model: detail.model,
    nodes: [
      ...(detail.gateway ? [{ ecu: 'GATEWAY', address: detail.gateway.logicalAddress, zonalGateway: '' }] : []),
      ...detail.ecus.map((e) => ({ ecu: e.id, address: e.logicalAddress, zonalGateway: e.zonalGateway }))
    ],
    async request(target, uds, requestSignal) {
      const answer = await session.request(target, uds, { signal: requestSignal })
      return { response: answer.response, elapsedMs: answer.elapsedMs }
    },
    close: () => session.close()
  }
}
