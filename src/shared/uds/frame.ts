import { ByteReader, concatBytes, hexByte, u8 } from './bytes'
import { UdsDecodeError } from './errors'
import { describeNrc, NRC } from './nrc'
import { NEGATIVE_RESPONSE_SID, POSITIVE_RESPONSE_OFFSET, SUPPRESS_POSITIVE_RESPONSE_BIT } from './sids'

/** Frame-level helpers every service codec uses: SID checks, sub-functions, and errors that say where. */

const fail = (context: string) => (message: string, nrc?: number) => new UdsDecodeError(`${context}: ${message}`, nrc)

export function requestReader(bytes: Uint8Array, sid: number): ByteReader {
  const context = `${hexByte(sid)} request`
  if (bytes[0] !== sid) {
    throw new UdsDecodeError(`${context}: expected SID ${hexByte(sid)}, got ${bytes.length ? hexByte(bytes[0] as number) : 'an empty frame'}`, NRC.serviceNotSupported)
  }
  const reader = new ByteReader(bytes, fail(context))
  reader.take(1, 'SID')
  return reader
}

export function responseReader(bytes: Uint8Array, sid: number): ByteReader {
  const context = `${hexByte(sid)} response`
  const expected = sid + POSITIVE_RESPONSE_OFFSET
  if (bytes[0] === NEGATIVE_RESPONSE_SID && bytes[1] === sid && bytes.length === 3) {
    const nrc = describeNrc(bytes[2] as number)
    throw new UdsDecodeError(`${context}: negative response ${hexByte(nrc.code)} ${nrc.name}; check for it with decodeNegativeResponse`)
  }
  if (bytes[0] !== expected) throw new UdsDecodeError(`${context}: expected SID ${hexByte(expected)}, got ${bytes.length ? hexByte(bytes[0] as number) : 'an empty frame'}`)
  const reader = new ByteReader(bytes, fail(context))
  reader.take(1, 'SID')
  return reader
}

interface SubFunction {
  value: number
  suppressPositiveResponse: boolean
}

export function readSubFunction(reader: ByteReader, what: string): SubFunction {
  const byte = reader.u8(what)
  return { value: byte & ~SUPPRESS_POSITIVE_RESPONSE_BIT, suppressPositiveResponse: (byte & SUPPRESS_POSITIVE_RESPONSE_BIT) !== 0 }
}

export function subFunctionByte(value: number, suppressPositiveResponse: boolean | undefined, what: string): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0x7f) throw new RangeError(`${what}: ${value} is not 0x00 to 0x7F (bit 7 is the suppress bit)`)
  return u8(suppressPositiveResponse ? value | SUPPRESS_POSITIVE_RESPONSE_BIT : value, what)
}

/**
 * A positive response repeats the sub-function without the suppress bit; a set bit 7 there means
 * the frame is not a well-formed response.
 */
export function readEcho(reader: ByteReader, what: string): number {
  const value = reader.u8(what)
  if (value & SUPPRESS_POSITIVE_RESPONSE_BIT) throw reader.error(`${what} ${hexByte(value)} has bit 7 set`)
  return value
}

export function echoByte(value: number, what: string): Uint8Array {
  return subFunctionByte(value, false, what)
}

export function requestFrame(sid: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes(Uint8Array.of(sid), ...parts)
}

export function responseFrame(sid: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes(Uint8Array.of(sid + POSITIVE_RESPONSE_OFFSET), ...parts)
}
