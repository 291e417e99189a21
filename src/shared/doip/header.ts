import { concatBytes, hexByte, hexWord, readUint, u16, u32, u8 } from '../uds/bytes'
import { DoipDecodeError } from './errors'
import { payloadLengthProblem, payloadTypeName } from './payload-types'
import { GENERIC_NACK } from './payloads/generic-nack'

/** The 8-byte generic DoIP header: version, its inverse, payload type (u16), payload length (u32), big-endian. */

export const HEADER_LENGTH = 8

export const PROTOCOL_VERSION = {
  iso13400_2010: 0x01,
  iso13400_2012: 0x02,
  iso13400_2019: 0x03,
  /** Only in vehicle identification requests, from a tester that does not know the vehicle's version yet. */
  vehicleIdentificationDefault: 0xff
} as const

/** SA, TA and the largest UDS message a 2-byte maxNumberOfBlockLength allows: bounds what a reader buffers. */
export const DEFAULT_MAX_PAYLOAD_LENGTH = 4 + 0xffff

export interface DoipHeader {
  version: number
  payloadType: number
  payloadLength: number
}

export interface DoipDecodeOptions {
  /** Larger payloads get NACK 0x02 (message too large) and are never buffered. */
  maxPayloadLength?: number
  /** Versions accepted besides the vehicle identification default 0xFF; 2012 and 2019 when absent. */
  acceptedVersions?: readonly number[]
}

const VEHICLE_IDENTIFICATION_REQUESTS = new Set([0x0001, 0x0002, 0x0003])

export function encodeHeader({ version, payloadType, payloadLength }: DoipHeader): Uint8Array {
  return concatBytes(u8(version, 'protocol version'), u8(version ^ 0xff, 'inverse protocol version'), u16(payloadType, 'payload type'), u32(payloadLength, 'payload length'))
}

/**
 * Checks a header in the order of ISO 13400-2's generic header handler (pattern, payload type,
 * maximum length, length for the type), so the error carries the NACK the standard prescribes.
 */
export function decodeHeader(bytes: Uint8Array, options: DoipDecodeOptions = {}): DoipHeader {
  if (bytes.length < HEADER_LENGTH) throw new DoipDecodeError(`DoIP header needs ${HEADER_LENGTH} bytes, got ${bytes.length}`, GENERIC_NACK.invalidPayloadLength)
  const [version = 0, inverse = 0] = bytes
  const payloadType = readUint(bytes.subarray(2, 4))
  const payloadLength = readUint(bytes.subarray(4, 8))
  const header = { version, payloadType, payloadLength }

  if ((version ^ inverse) !== 0xff) {
    throw new DoipDecodeError(`DoIP header: inverse version ${hexByte(inverse)} does not match version ${hexByte(version)}`, GENERIC_NACK.incorrectPatternFormat)
  }
  const accepted = options.acceptedVersions ?? [PROTOCOL_VERSION.iso13400_2012, PROTOCOL_VERSION.iso13400_2019]
  const defaultAllowed = version === PROTOCOL_VERSION.vehicleIdentificationDefault && VEHICLE_IDENTIFICATION_REQUESTS.has(payloadType)
  if (!defaultAllowed && !accepted.includes(version)) {
    throw new DoipDecodeError(`DoIP header: protocol version ${hexByte(version)} is not supported for payload type ${hexWord(payloadType)}`, GENERIC_NACK.incorrectPatternFormat)
  }
  const type = payloadTypeName(payloadType)
  if (!type) throw new DoipDecodeError(`DoIP header: unknown payload type ${hexWord(payloadType)}`, GENERIC_NACK.unknownPayloadType)
  const max = options.maxPayloadLength ?? DEFAULT_MAX_PAYLOAD_LENGTH
  if (payloadLength > max) throw new DoipDecodeError(`DoIP header: payload of ${payloadLength} bytes exceeds the maximum of ${max}`, GENERIC_NACK.messageTooLarge)
  const problem = payloadLengthProblem(type, payloadLength)
  if (problem) throw new DoipDecodeError(`DoIP header: ${problem}`, GENERIC_NACK.invalidPayloadLength)
  return header
}
