import { ByteReader, hexByte, u8 } from './bytes'
import { UdsDecodeError } from './errors'
import { describeNrc, NRC } from './nrc'
import { NEGATIVE_RESPONSE_SID } from './sids'

/** 0x7F SID NRC: the answer of a server that refuses or delays a request. */

export interface NegativeResponse {
  requestSid: number
  nrc: number
}

export const isNegativeResponse = (bytes: Uint8Array): boolean => bytes[0] === NEGATIVE_RESPONSE_SID

/** 7F SID 78: the server is still working; wait P2* for the real answer. */
export const isResponsePending = (bytes: Uint8Array): boolean =>
  bytes.length === 3 && bytes[0] === NEGATIVE_RESPONSE_SID && bytes[2] === NRC.requestCorrectlyReceivedResponsePending

export function encodeNegativeResponse({ requestSid, nrc }: NegativeResponse): Uint8Array {
  return Uint8Array.of(NEGATIVE_RESPONSE_SID, ...u8(requestSid, 'request SID'), ...u8(nrc, 'NRC'))
}

export function decodeNegativeResponse(bytes: Uint8Array): NegativeResponse {
  const reader = new ByteReader(bytes, (message) => new UdsDecodeError(`negative response: ${message}`))
  const sid = reader.u8('SID')
  if (sid !== NEGATIVE_RESPONSE_SID) throw reader.error(`SID ${hexByte(sid)} is not ${hexByte(NEGATIVE_RESPONSE_SID)}`)
  const response = { requestSid: reader.u8('request SID'), nrc: reader.u8('NRC') }
  reader.end('NRC')
  return response
}

/** "0x22 refused: requestOutOfRange (0x31): A parameter ... out of range", for logs and the UI. */
export function describeNegativeResponse({ requestSid, nrc }: NegativeResponse): string {
  const info = describeNrc(nrc)
  return `${hexByte(requestSid)} refused: ${info.name} (${hexByte(nrc)}): ${info.description}`
}
