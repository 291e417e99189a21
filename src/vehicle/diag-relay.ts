import type { z } from 'zod'
import { DiagRequest, type DiagResponse } from '../shared/protocol/messages'
import { fromHex, toHex } from '../shared/uds'
import { type EcuNetwork, FUNCTIONAL_ADDRESS } from './ecu/network'

const hexWord = (n: number) => `0x${n.toString(16).toUpperCase().padStart(4, '0')}`

/**
 * The gateway's side of the MQTT diagnostic relay: one diagRequest's UDS bytes go to the addressed
 * ECU, and its final response (not the 7F SID 78 before it) comes back with the correlation id.
 * A response with neither `uds` nor `error` means the ECU sent none (a suppressed positive
 * response). A request that does not parse is answered with an error when it has a correlation
 * id to answer to, and dropped otherwise.
 */
export async function relayDiagRequest(network: EcuNetwork, payload: Buffer): Promise<z.infer<typeof DiagResponse> | undefined> {
  let json: unknown
  try {
    json = JSON.parse(payload.toString())
  } catch {
    return undefined
  }
  const parsed = DiagRequest.safeParse(json)
  if (!parsed.success) {
    const { correlationId, targetAddress } = (json ?? {}) as { correlationId?: unknown; targetAddress?: unknown }
    if (typeof correlationId !== 'string' || correlationId.length < 1 || correlationId.length > 64) return undefined
    const issue = parsed.error.issues[0]!
    const sourceAddress = typeof targetAddress === 'number' && Number.isInteger(targetAddress) && targetAddress >= 0 && targetAddress <= 0xffff ? targetAddress : 0
    return { correlationId, sourceAddress, error: `malformed diagRequest: ${issue.path.join('.') || 'message'}: ${issue.message}`.slice(0, 300) }
  }
  const { correlationId, targetAddress, uds, timeoutMs } = parsed.data
  const answer = { correlationId, sourceAddress: targetAddress }
  const server = network.server(targetAddress)
  if (!server) {
    const why =
      targetAddress === FUNCTIONAL_ADDRESS
        ? 'functional addressing is not relayed (one answer per request): address each ECU'
        : `no ECU at ${hexWord(targetAddress)} in ${network.vin}`
    return { ...answer, error: why }
  }
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)))
  const response = await Promise.race([server.request(fromHex(uds)), timeout])
  clearTimeout(timer)
  if (response === 'timeout') return { ...answer, error: `${server.name} sent no response within ${timeoutMs} ms` }
  return response ? { ...answer, uds: toHex(response) } : answer
}
