import { hexByte } from './bytes'
import { UdsDecodeError } from './errors'
import { decodeNegativeResponse, encodeNegativeResponse, isNegativeResponse, type NegativeResponse } from './negative-response'
import { NRC } from './nrc'
import type { ServiceCodec, UdsDecodeOptions } from './service'
import { clearDiagnosticInformation } from './services/clear-diagnostic-information'
import { communicationControl } from './services/communication-control'
import { controlDtcSetting } from './services/control-dtc-setting'
import { ecuReset } from './services/ecu-reset'
import { readDataByIdentifier } from './services/read-data-by-identifier'
import { readDtcInformation } from './services/read-dtc-information'
import { requestDownload } from './services/request-download'
import { requestTransferExit } from './services/request-transfer-exit'
import { routineControl } from './services/routine-control'
import { securityAccess } from './services/security-access'
import { diagnosticSessionControl } from './services/session-control'
import { testerPresent } from './services/tester-present'
import { transferData } from './services/transfer-data'
import { writeDataByIdentifier } from './services/write-data-by-identifier'
import { POSITIVE_RESPONSE_OFFSET, type ServiceName, serviceNameOf } from './sids'

/** Any frame of the covered services, tagged with `service`; this file only dispatches to the service codecs. */

const SERVICES = {
  diagnosticSessionControl,
  ecuReset,
  clearDiagnosticInformation,
  readDtcInformation,
  readDataByIdentifier,
  securityAccess,
  communicationControl,
  writeDataByIdentifier,
  routineControl,
  requestDownload,
  transferData,
  requestTransferExit,
  testerPresent,
  controlDtcSetting
} satisfies Record<ServiceName, ServiceCodec<unknown, unknown>>
type Services = typeof SERVICES

type RequestOf<C> = C extends ServiceCodec<infer Request, unknown> ? Request : never
type ResponseOf<C> = C extends ServiceCodec<unknown, infer Response> ? Response : never

export type UdsRequest = { [K in ServiceName]: { service: K } & RequestOf<Services[K]> }[ServiceName]
export type UdsPositiveResponse = { [K in ServiceName]: { service: K } & ResponseOf<Services[K]> }[ServiceName]
export type UdsResponse = UdsPositiveResponse | ({ service: 'negativeResponse' } & NegativeResponse)

/** Each codec is typed by its own service; the union's tag guarantees the pairing, which TypeScript cannot follow. */
const codecFor = (service: ServiceName): ServiceCodec<unknown, unknown> => SERVICES[service]

function strip<T extends { service: string }>({ service: _service, ...rest }: T): Omit<T, 'service'> {
  return rest
}

export function encodeUdsRequest(request: UdsRequest): Uint8Array {
  return codecFor(request.service).encodeRequest(strip(request))
}

/** Decodes any request of the covered services; errors carry the NRC a server answers with. */
export function decodeUdsRequest(bytes: Uint8Array): UdsRequest {
  const sid = bytes[0]
  const service = sid === undefined ? undefined : serviceNameOf(sid)
  if (!service) throw new UdsDecodeError(sid === undefined ? 'empty request' : `${hexByte(sid)} request: service not supported by this codec`, NRC.serviceNotSupported)
  return { service, ...(codecFor(service).decodeRequest(bytes) as object) } as UdsRequest
}

export function encodeUdsResponse(response: UdsResponse): Uint8Array {
  if (response.service === 'negativeResponse') return encodeNegativeResponse(response)
  return codecFor(response.service).encodeResponse(strip(response))
}

/** Decodes a positive response of a covered service, or any negative response. */
export function decodeUdsResponse(bytes: Uint8Array, options?: UdsDecodeOptions): UdsResponse {
  if (isNegativeResponse(bytes)) return { service: 'negativeResponse', ...decodeNegativeResponse(bytes) }
  const sid = bytes[0]
  const service = sid === undefined || sid < POSITIVE_RESPONSE_OFFSET ? undefined : serviceNameOf(sid - POSITIVE_RESPONSE_OFFSET)
  if (!service) throw new UdsDecodeError(sid === undefined ? 'empty response' : `${hexByte(sid)} is not a positive response of a service this codec covers`)
  return { service, ...(codecFor(service).decodeResponse(bytes, options) as object) } as UdsResponse
}
