import { randomBytes } from 'node:crypto'
import type { z } from 'zod'
import type { DiagRelayAnswer } from '../../shared/fleet/diag-relay'
import type { DiagResponse } from '../../shared/protocol/messages'
import type { TopicName } from '../../shared/protocol/topics'

/** What the backend adds to the gateway's own wait: MQTT both ways and the gateway's work. */
export const RELAY_MARGIN_MS = 2000

type Publish = (name: TopicName, vin: string, message: unknown) => Promise<unknown>

/**
 * The backend's side of the UDS relay: publish a diagRequest to the vehicle and wait for the
 * diagResponse with the same correlation id, or give up after the gateway's timeout plus a margin.
 */
export function createDiagRelay(publish: Publish) {
  const pending = new Map<string, { vin: string; answer(response: z.infer<typeof DiagResponse>): void }>()
  return {
    async request(vin: string, request: { targetAddress: number; uds: string; timeoutMs: number }): Promise<DiagRelayAnswer | 'timeout'> {
      const correlationId = `dgr_${randomBytes(8).toString('hex')}`
      const started = performance.now()
      let timer: NodeJS.Timeout | undefined
      const answered = new Promise<z.infer<typeof DiagResponse> | 'timeout'>((resolve) => {
        pending.set(correlationId, { vin, answer: resolve })
        timer = setTimeout(() => resolve('timeout'), request.timeoutMs + RELAY_MARGIN_MS)
      })
      try {
        await publish('diagRequest', vin, { correlationId, targetAddress: request.targetAddress, uds: request.uds.toUpperCase(), timeoutMs: request.timeoutMs })
        const response = await answered
        if (response === 'timeout') return 'timeout'
        return { sourceAddress: response.sourceAddress, uds: response.uds ?? null, error: response.error ?? null, elapsedMs: Math.round(performance.now() - started) }
      } finally {
        clearTimeout(timer)
        pending.delete(correlationId)
      }
    },

    /** A diagResponse arrived; one from another vehicle than the request went to is ignored. */
    onResponse(vin: string, response: z.infer<typeof DiagResponse>) {
      const waiter = pending.get(response.correlationId)
      if (waiter?.vin === vin) waiter.answer(response)
    }
  }
}
