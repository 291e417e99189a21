import { type ByteReader, u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'

/** 0x0000 generic DoIP header negative acknowledge. */

const ENTRIES = [
  [0x00, 'incorrectPatternFormat', 'Protocol version and its inverse do not match, or the version is not supported; the socket is closed'],
  [0x01, 'unknownPayloadType', 'The payload type is not supported; the message is discarded'],
  [0x02, 'messageTooLarge', 'The payload is larger than the entity can process; the message is discarded'],
  [0x03, 'outOfMemory', 'The entity cannot buffer the payload right now; the message is discarded'],
  [0x04, 'invalidPayloadLength', 'The payload length does not fit the payload type; the socket is closed']
] as const

export const GENERIC_NACK = codesByName(ENTRIES)
export const describeGenericNack = codeLookup(ENTRIES, () => 'reserved')

export interface GenericNack {
  code: number
}

export const genericNack = {
  encode: ({ code }: GenericNack): Uint8Array => u8(code, 'NACK code'),
  decode: (reader: ByteReader): GenericNack => ({ code: reader.u8('NACK code') })
}
