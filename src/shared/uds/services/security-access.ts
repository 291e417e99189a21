import { type ByteReader, hexByte } from '../bytes'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import { NRC } from '../nrc'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/**
 * 0x27 SecurityAccess. An odd sub-function requests a seed for a level, the next even one sends
 * the key: `level` here is always the odd requestSeed value (0x01, 0x03, ...).
 */

export type SecurityAccessRequest = { level: number; suppressPositiveResponse?: boolean } & (
  { action: 'requestSeed'; /** securityAccessDataRecord, usually empty */ data?: Uint8Array } | { action: 'sendKey'; key: Uint8Array }
)

export type SecurityAccessResponse = { level: number } & ({ action: 'requestSeed'; seed: Uint8Array } | { action: 'sendKey' })

const sid = SID.securityAccess

/** The sub-function for an action at a level: requestSeed = level, sendKey = level + 1. */
export function securityAccessType(action: 'requestSeed' | 'sendKey', level: number): number {
  if (!Number.isInteger(level) || level % 2 !== 1 || level > 0x7d) throw new RangeError(`security level ${level} is not an odd requestSeed value 0x01 to 0x7D`)
  return action === 'requestSeed' ? level : level + 1
}

/** 0x00 and 0x7F are reserved; everything else splits into an action and its level. */
function splitType(reader: ByteReader, type: number): { action: 'requestSeed' | 'sendKey'; level: number } {
  if (type === 0x00 || type === 0x7f) throw reader.error(`securityAccessType ${hexByte(type)} is reserved`, NRC.subFunctionNotSupported)
  return type % 2 === 1 ? { action: 'requestSeed', level: type } : { action: 'sendKey', level: type - 1 }
}

export const securityAccess: ServiceCodec<SecurityAccessRequest, SecurityAccessResponse> = {
  sid,
  encodeRequest(request) {
    const sub = subFunctionByte(securityAccessType(request.action, request.level), request.suppressPositiveResponse, 'securityAccessType')
    return requestFrame(sid, sub, request.action === 'requestSeed' ? (request.data ?? new Uint8Array()) : request.key)
  },
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value, suppressPositiveResponse } = readSubFunction(reader, 'securityAccessType')
    const { action, level } = splitType(reader, value)
    if (action === 'requestSeed') return { action, level, data: reader.rest(), suppressPositiveResponse }
    if (reader.remaining === 0) throw reader.error('sendKey carries no key')
    return { action, level, key: reader.rest(), suppressPositiveResponse }
  },
  encodeResponse: (response) =>
    response.action === 'requestSeed'
      ? responseFrame(sid, echoByte(securityAccessType('requestSeed', response.level), 'securityAccessType'), response.seed)
      : responseFrame(sid, echoByte(securityAccessType('sendKey', response.level), 'securityAccessType')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const { action, level } = splitType(reader, readEcho(reader, 'securityAccessType'))
    if (action === 'sendKey') {
      reader.end('securityAccessType')
      return { action, level }
    }
    // An all-zero seed means "already unlocked"; an empty one is malformed.
    if (reader.remaining === 0) throw reader.error('requestSeed response carries no seed')
    return { action, level, seed: reader.rest() }
  }
}
