import { fromHex, toHex } from '../../../shared/uds'
import type { BackendClient } from '../../backend/backend-client'
import { aborted, DiagError } from '../errors'
import type { DiagTransport } from '../session'
import { runRemoteFlash } from './remote-flash'

/** How long the gateway may wait for an ECU's final answer (it handles 7F SID 78 itself). */
export const RELAY_TIMEOUT_MS = 5000

/**
 * UDS through the backend's relay to a vehicle's gateway: each request is one HTTPS call that the
 * backend turns into diagRequest/diagResponse. A remote flash is one call too: the gateway runs
 * the whole sequence itself, so no block crosses the network.
 */
export function createRelayTransport(deps: { client(): Promise<BackendClient>; vin: string }): DiagTransport {
  return {
    kind: 'remote',
    async request(target, bytes, options = {}) {
      if (options.signal?.aborted) throw aborted(`The request to ${deps.vin}`)
      const client = await deps.client()
      const answer = await client.diag.relay(
        { vin: deps.vin },
        { targetAddress: target, uds: toHex(bytes), timeoutMs: options.timeoutMs ?? RELAY_TIMEOUT_MS },
        { signal: options.signal }
      )
      if (answer.error) throw new DiagError({ kind: 'relay', reason: answer.error }, `The gateway of ${deps.vin} answered: ${answer.error}`)
      return answer.uds === null ? undefined : fromHex(answer.uds)
    },
    flashRelease: async (target, releaseId, options) => runRemoteFlash(await deps.client(), deps.vin, target, releaseId, options),
    close: async () => undefined
  }
}
