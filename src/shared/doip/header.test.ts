import { describe, expect, it } from 'vitest'
import { DoipDecodeError } from './errors'
import { decodeHeader, encodeHeader, PROTOCOL_VERSION } from './header'
import { GENERIC_NACK } from './payloads/generic-nack'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

function nackOf(bytes: Uint8Array, options?: Parameters<typeof decodeHeader>[1]): { nack: number; closeConnection: boolean; message: string } {
  try {
    decodeHeader(bytes, options)
  } catch (error) {
    if (error instanceof DoipDecodeError) return { nack: error.nack, closeConnection: error.closeConnection, message: error.message }
    throw error
  }
  throw new Error('header was accepted')
}

describe('DoIP generic header', () => {
  it('encodes version, inverse, payload type and length big-endian', () => {
    expect(encodeHeader({ version: PROTOCOL_VERSION.iso13400_2012, payloadType: 0x8001, payloadLength: 7 })).toEqual(hex('02 FD 80 01 00 00 00 07'))
    expect(encodeHeader({ version: PROTOCOL_VERSION.iso13400_2019, payloadType: 0x0005, payloadLength: 11 })).toEqual(hex('03 FC 00 05 00 00 00 0B'))
    expect(decodeHeader(hex('02 FD 80 01 00 00 00 07'))).toEqual({ version: 2, payloadType: 0x8001, payloadLength: 7 })
  })

  it('accepts the default version 0xFF only on vehicle identification requests', () => {
    expect(decodeHeader(hex('FF 00 00 01 00 00 00 00'))).toEqual({ version: 0xff, payloadType: 1, payloadLength: 0 })
    expect(decodeHeader(hex('FF 00 00 03 00 00 00 11'))).toMatchObject({ payloadType: 3 })
    expect(nackOf(hex('FF 00 80 01 00 00 00 05'))).toMatchObject({ nack: GENERIC_NACK.incorrectPatternFormat, closeConnection: true })
  })

  it('answers a bad pattern or an unsupported version with NACK 0x00 and closes', () => {
    expect(nackOf(hex('02 FC 80 01 00 00 00 05'))).toEqual({
      nack: 0x00,
      closeConnection: true,
      message: 'DoIP header: inverse version 0xFC does not match version 0x02'
    })
    expect(nackOf(hex('04 FB 80 01 00 00 00 05')).message).toBe('DoIP header: protocol version 0x04 is not supported for payload type 8001')
    expect(decodeHeader(hex('04 FB 80 01 00 00 00 05'), { acceptedVersions: [4] })).toMatchObject({ version: 4 })
  })

  it('answers an unknown payload type with NACK 0x01 and keeps the socket', () => {
    expect(nackOf(hex('02 FD 99 99 FF FF FF FF'))).toEqual({ nack: 0x01, closeConnection: false, message: 'DoIP header: unknown payload type 9999' })
  })

  it('answers a payload above the limit with NACK 0x02', () => {
    expect(nackOf(hex('02 FD 80 01 00 00 00 65'), { maxPayloadLength: 100 })).toEqual({
      nack: 0x02,
      closeConnection: false,
      message: 'DoIP header: payload of 101 bytes exceeds the maximum of 100'
    })
    expect(decodeHeader(hex('02 FD 80 01 00 00 00 64'), { maxPayloadLength: 100 })).toMatchObject({ payloadLength: 100 })
  })

  it('answers a length the payload type does not allow with NACK 0x04 and closes', () => {
    expect(nackOf(hex('02 FD 00 05 00 00 00 08'))).toEqual({
      nack: GENERIC_NACK.invalidPayloadLength,
      closeConnection: true,
      message: 'DoIP header: payload type 0005 takes 7 or 11 bytes, got 8'
    })
    expect(nackOf(hex('02 FD 80 01 00 00 00 04')).message).toBe('DoIP header: payload type 8001 needs at least 5 bytes, got 4')
    expect(nackOf(hex('02 FD 80 01')).message).toBe('DoIP header needs 8 bytes, got 4')
  })
})
