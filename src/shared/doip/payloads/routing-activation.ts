import { concatBytes, u16, u32, u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'
import type { PayloadCodec } from './payload-codec'

/** 0x0005 routing activation request and 0x0006 response. */

const ACTIVATION_TYPE_ENTRIES = [
  [0x00, 'default', 'Default'],
  [0x01, 'wwhObd', 'WWH-OBD (ISO 27145)'],
  [0xe0, 'centralSecurity', 'Central security']
] as const
export const ACTIVATION_TYPE = codesByName(ACTIVATION_TYPE_ENTRIES)
export const describeActivationType = codeLookup(ACTIVATION_TYPE_ENTRIES, (code) => (code > 0xe0 ? 'oemSpecific' : 'reserved'))

const RESPONSE_CODE_ENTRIES = [
  [0x00, 'deniedUnknownSourceAddress', 'Routing activation denied: unknown source address'],
  [0x01, 'deniedAllSocketsRegistered', 'Routing activation denied: all concurrently supported TCP_DATA sockets are registered and active'],
  [0x02, 'deniedSourceAddressDifferent', 'Routing activation denied: a different source address is already registered on this socket'],
  [0x03, 'deniedSourceAddressActiveElsewhere', 'Routing activation denied: the source address is already active on another socket'],
  [0x04, 'deniedMissingAuthentication', 'Routing activation denied: missing authentication'],
  [0x05, 'deniedRejectedConfirmation', 'Routing activation denied: confirmation rejected'],
  [0x06, 'deniedUnsupportedActivationType', 'Routing activation denied: unsupported activation type'],
  [0x07, 'deniedTlsRequired', 'Routing activation denied: the activation type requires a TLS socket'],
  [0x10, 'success', 'Routing successfully activated'],
  [0x11, 'confirmationRequired', 'Routing will be activated once confirmed in the vehicle']
] as const
export const ROUTING_ACTIVATION_CODE = codesByName(RESPONSE_CODE_ENTRIES)
export const describeRoutingActivationCode = codeLookup(RESPONSE_CODE_ENTRIES, (code) => (code >= 0xe0 && code <= 0xfe ? 'oemSpecific' : 'reserved'))

export interface RoutingActivationRequest {
  sourceAddress: number
  activationType: number
  /** Reserved by ISO, 0 when absent. */
  reserved?: number
  oemSpecific?: number
}

export interface RoutingActivationResponse {
  /** The tester's logical address, as it asked. */
  testerAddress: number
  /** The answering entity's logical address. */
  entityAddress: number
  responseCode: number
  reserved?: number
  oemSpecific?: number
}

const optionalU32 = (value: number | undefined, what: string): Uint8Array => (value === undefined ? new Uint8Array() : u32(value, what))

export const routingActivationRequest: PayloadCodec<RoutingActivationRequest> = {
  encode: ({ sourceAddress, activationType, reserved = 0, oemSpecific }) =>
    concatBytes(u16(sourceAddress, 'source address'), u8(activationType, 'activation type'), u32(reserved, 'reserved'), optionalU32(oemSpecific, 'OEM-specific')),
  decode(reader) {
    const request = { sourceAddress: reader.u16('source address'), activationType: reader.u8('activation type'), reserved: reader.u32('reserved') }
    return reader.remaining > 0 ? { ...request, oemSpecific: reader.u32('OEM-specific') } : request
  }
}

export const routingActivationResponse: PayloadCodec<RoutingActivationResponse> = {
  encode: ({ testerAddress, entityAddress, responseCode, reserved = 0, oemSpecific }) =>
    concatBytes(
      u16(testerAddress, 'tester address'),
      u16(entityAddress, 'entity address'),
      u8(responseCode, 'response code'),
      u32(reserved, 'reserved'),
      optionalU32(oemSpecific, 'OEM-specific')
    ),
  decode(reader) {
    const response = {
      testerAddress: reader.u16('tester address'),
      entityAddress: reader.u16('entity address'),
      responseCode: reader.u8('response code'),
      reserved: reader.u32('reserved')
    }
    return reader.remaining > 0 ? { ...response, oemSpecific: reader.u32('OEM-specific') } : response
  }
}
