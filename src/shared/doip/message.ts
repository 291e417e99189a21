import { ByteReader, concatBytes, hexWord } from '../uds/bytes'
import { DoipDecodeError } from './errors'
import { decodeHeader, type DoipDecodeOptions, type DoipHeader, encodeHeader, HEADER_LENGTH, PROTOCOL_VERSION } from './header'
import { type DoipMessageType, PAYLOAD_TYPE, payloadLengthProblem, payloadTypeName } from './payload-types'
import { aliveCheckRequest, aliveCheckResponse } from './payloads/alive-check'
import { type DiagnosticMessage, diagnosticMessage, diagnosticMessageAcknowledgement, diagnosticMessageAddresses } from './payloads/diagnostic-message'
import { entityStatusRequest, entityStatusResponse } from './payloads/entity-status'
import { GENERIC_NACK, genericNack } from './payloads/generic-nack'
import type { PayloadCodec } from './payloads/payload-codec'
import { powerModeRequest, powerModeResponse } from './payloads/power-mode'
import { routingActivationRequest, routingActivationResponse } from './payloads/routing-activation'
import { vehicleAnnouncement, vehicleIdentificationRequest, vehicleIdentificationRequestByEid, vehicleIdentificationRequestByVin } from './payloads/vehicle-identification'

/** Whole DoIP messages, header and payload, tagged with `type`; this file only dispatches to the payload codecs. */

const CODECS = {
  genericNack,
  vehicleIdentificationRequest,
  vehicleIdentificationRequestByEid,
  vehicleIdentificationRequestByVin,
  vehicleAnnouncement,
  routingActivationRequest,
  routingActivationResponse,
  aliveCheckRequest,
  aliveCheckResponse,
  entityStatusRequest,
  entityStatusResponse,
  powerModeRequest,
  powerModeResponse,
  diagnosticMessage,
  diagnosticMessageAck: diagnosticMessageAcknowledgement,
  diagnosticMessageNack: diagnosticMessageAcknowledgement
} satisfies Record<DoipMessageType, PayloadCodec<unknown>>
type Codecs = typeof CODECS
type MessageOf<C> = C extends PayloadCodec<infer Message> ? Message : never

export type DoipMessage = { [K in DoipMessageType]: { type: K } & MessageOf<Codecs[K]> }[DoipMessageType]

export interface DecodedDoipMessage {
  header: DoipHeader
  message: DoipMessage
}

const codecFor = (type: DoipMessageType): PayloadCodec<unknown> => CODECS[type]

/** The whole message; `version` defaults to 2012 (0x02), the one most entities speak. */
export function encodeDoipMessage(message: DoipMessage, version: number = PROTOCOL_VERSION.iso13400_2012): Uint8Array {
  const { type, ...body } = message
  const payloadType = PAYLOAD_TYPE[type]
  if (version === PROTOCOL_VERSION.vehicleIdentificationDefault && !type.startsWith('vehicleIdentificationRequest')) {
    throw new RangeError(`protocol version 0xFF is only for vehicle identification requests, not ${type}`)
  }
  const payload = codecFor(type).encode(body)
  return concatBytes(encodeHeader({ version, payloadType, payloadLength: payload.length }), payload)
}

/**
 * A diagnostic message as two parts to write back to back: the header with SA and TA, then the
 * UDS frame as it is, so a 64 KiB transfer block is not copied again to be sent.
 */
export function encodeDiagnosticMessageParts(message: DiagnosticMessage, version: number = PROTOCOL_VERSION.iso13400_2012): [head: Uint8Array, userData: Uint8Array] {
  const addresses = diagnosticMessageAddresses(message)
  const header = encodeHeader({ version, payloadType: PAYLOAD_TYPE.diagnosticMessage, payloadLength: addresses.length + message.userData.length })
  return [concatBytes(header, addresses), message.userData]
}

/** The payload of a header already checked (as the framer does); errors carry the NACK a bad payload deserves. */
export function decodeDoipPayload(header: DoipHeader, payload: Uint8Array): DoipMessage {
  const type = payloadTypeName(header.payloadType)
  if (!type) throw new DoipDecodeError(`unknown payload type ${hexWord(header.payloadType)}`, GENERIC_NACK.unknownPayloadType)
  const problem = payloadLengthProblem(type, payload.length)
  if (problem) throw new DoipDecodeError(problem, GENERIC_NACK.invalidPayloadLength)
  const reader = new ByteReader(payload, (message) => new DoipDecodeError(`payload type ${hexWord(header.payloadType)}: ${message}`, GENERIC_NACK.invalidPayloadLength))
  return { type, ...(codecFor(type).decode(reader) as object) } as DoipMessage
}

/** Exactly one message, e.g. a UDP datagram: a length that disagrees with the header gets NACK 0x04. */
export function decodeDoipMessage(bytes: Uint8Array, options?: DoipDecodeOptions): DecodedDoipMessage {
  const header = decodeHeader(bytes, options)
  const actual = bytes.length - HEADER_LENGTH
  if (actual !== header.payloadLength) {
    throw new DoipDecodeError(`DoIP message: header announces ${header.payloadLength} payload bytes, got ${actual}`, GENERIC_NACK.invalidPayloadLength)
  }
  return { header, message: decodeDoipPayload(header, bytes.subarray(HEADER_LENGTH)) }
}
