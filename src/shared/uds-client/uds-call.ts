import {
  decodeUdsResponse,
  describeNegativeResponse,
  describeNrc,
  encodeUdsRequest,
  type NegativeResponse,
  type UdsDecodeOptions,
  type UdsPositiveResponse,
  type UdsRequest
} from '../uds'

/**
 * What diagnostics need from a transport: one request to one ECU, answered with its final
 * response (a 7F SID 78 before it is the transport's business), or undefined when the ECU sent
 * none (a suppressed positive response). A transport failure is thrown.
 */
export interface UdsRequester {
  request(target: number, request: Uint8Array, options?: { signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array | undefined>
}

/** The ECU answered 7F SID NRC. */
export class NegativeResponseError extends Error {
  override readonly name = 'NegativeResponseError'
  readonly nrcName: string

  constructor(
    readonly target: number,
    readonly response: NegativeResponse
  ) {
    super(`ECU ${hexAddress(target)}: ${describeNegativeResponse(response)}`)
    this.nrcName = describeNrc(response.nrc).name
  }
}

/** The ECU sent nothing where an answer was due, or something that is not the answer. */
export class UnexpectedResponseError extends Error {
  override readonly name = 'UnexpectedResponseError'
}

export const hexAddress = (address: number): string => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`

type PositiveOf<S extends UdsRequest['service']> = Extract<UdsPositiveResponse, { service: S }>

/**
 * Sends one request and answers its decoded positive response; a negative response throws
 * NegativeResponseError naming the NRC, silence or another service's answer UnexpectedResponseError.
 */
export async function callUds<R extends UdsRequest>(
  requester: UdsRequester,
  target: number,
  request: R,
  options: { signal?: AbortSignal; timeoutMs?: number; decode?: UdsDecodeOptions } = {}
): Promise<PositiveOf<R['service']>> {
  return callUdsFrame<R['service']>(requester, target, request.service, encodeUdsRequest(request), options)
}

/** callUds for a request already encoded (e.g. a 0x36 frame written in place), answered as `service`. */
export async function callUdsFrame<S extends UdsRequest['service']>(
  requester: UdsRequester,
  target: number,
  service: S,
  frame: Uint8Array,
  options: { signal?: AbortSignal; timeoutMs?: number; decode?: UdsDecodeOptions } = {}
): Promise<PositiveOf<S>> {
  const bytes = await requester.request(target, frame, options)
  if (!bytes) throw new UnexpectedResponseError(`ECU ${hexAddress(target)} sent no response to ${service}`)
  const response = decodeUdsResponse(bytes, options.decode)
  if (response.service === 'negativeResponse') throw new NegativeResponseError(target, response)
  if (response.service !== service) throw new UnexpectedResponseError(`ECU ${hexAddress(target)} answered ${service} with ${response.service}`)
  return response as PositiveOf<S>
}
