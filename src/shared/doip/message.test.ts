import { describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from './header'
import { decodeDoipMessage, decodeDoipPayload, encodeDiagnosticMessageParts, encodeDoipMessage } from './message'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('DoIP messages', () => {
  it('encode in the version asked for', () => {
    expect(encodeDoipMessage({ type: 'aliveCheckRequest' }, PROTOCOL_VERSION.iso13400_2019)).toEqual(hex('03 FC 00 07 00 00 00 00'))
    expect(() => encodeDoipMessage({ type: 'aliveCheckRequest' }, PROTOCOL_VERSION.vehicleIdentificationDefault)).toThrow(
      'protocol version 0xFF is only for vehicle identification requests, not aliveCheckRequest'
    )
  })

  it('refuse a datagram whose length disagrees with its header (NACK 0x04)', () => {
    expect(() => decodeDoipMessage(hex('02 FD 00 08 00 00 00 02 0E'))).toThrow(
      expect.objectContaining({ name: 'DoipDecodeError', nack: 0x04, closeConnection: true, message: 'DoIP message: header announces 2 payload bytes, got 1' })
    )
    expect(() => decodeDoipMessage(hex('02 FD 00 08 00 00 00 02 0E 00 00'))).toThrow('header announces 2 payload bytes, got 3')
  })

  it('check a payload decoded on its own', () => {
    expect(decodeDoipPayload({ version: 2, payloadType: 0x0008, payloadLength: 2 }, hex('0E 00'))).toEqual({ type: 'aliveCheckResponse', sourceAddress: 0x0e00 })
    expect(() => decodeDoipPayload({ version: 2, payloadType: 0x0008, payloadLength: 1 }, hex('0E'))).toThrow('payload type 0008 takes 2 bytes, got 1')
    expect(() => decodeDoipPayload({ version: 2, payloadType: 0x1234, payloadLength: 0 }, hex(''))).toThrow(expect.objectContaining({ nack: 0x01 }))
  })

  it('split a diagnostic message into its head and the UDS frame, which is sent as it is', () => {
    const message = { type: 'diagnosticMessage', sourceAddress: 0x0e80, targetAddress: 0x1001, userData: hex('36 01 AA BB CC') } as const
    const [head, userData] = encodeDiagnosticMessageParts(message, PROTOCOL_VERSION.iso13400_2019)
    expect(head).toEqual(hex('03 FC 80 01 00 00 00 09 0E 80 10 01'))
    expect(userData).toBe(message.userData)
    expect(Buffer.concat([head, userData])).toEqual(Buffer.from(encodeDoipMessage(message, PROTOCOL_VERSION.iso13400_2019)))
    expect(() => encodeDiagnosticMessageParts({ ...message, userData: new Uint8Array() })).toThrow('a diagnostic message carries at least one byte of user data')
  })
})
