import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { DIAGNOSTIC_ACK, DIAGNOSTIC_NACK, describeDiagnosticNack } from './diagnostic-message'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('diagnostic messages', () => {
  it('0x8001 carries a UDS frame from tester 0E00 to ECU 1001', () => {
    const bytes = hex('02 FD 80 01 00 00 00 07 0E 00 10 01 22 F1 90')
    const message = { type: 'diagnosticMessage', sourceAddress: 0x0e00, targetAddress: 0x1001, userData: hex('22 F1 90') } as const
    expect(encodeDoipMessage(message)).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual(message)
    expect(() => encodeDoipMessage({ ...message, userData: new Uint8Array() })).toThrow(RangeError)
  })

  it('0x8002 positive ack, with the start of the acknowledged message', () => {
    const bytes = hex('02 FD 80 02 00 00 00 08 10 01 0E 00 00 22 F1 90')
    const ack = { type: 'diagnosticMessageAck', sourceAddress: 0x1001, targetAddress: 0x0e00, code: DIAGNOSTIC_ACK.routingConfirmation, previousData: hex('22 F1 90') } as const
    expect(encodeDoipMessage(ack)).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual(ack)
    expect(encodeDoipMessage({ type: 'diagnosticMessageAck', sourceAddress: 0, targetAddress: 0, code: 0 })).toEqual(hex('02 FD 80 02 00 00 00 05 00 00 00 00 00'))
  })

  it('0x8003 negative ack names its code', () => {
    const bytes = hex('02 FD 80 03 00 00 00 05 10 01 0E 00 03')
    expect(decodeDoipMessage(bytes).message).toEqual({
      type: 'diagnosticMessageNack',
      sourceAddress: 0x1001,
      targetAddress: 0x0e00,
      code: DIAGNOSTIC_NACK.unknownTargetAddress,
      previousData: hex('')
    })
    expect(DIAGNOSTIC_NACK).toEqual({
      invalidSourceAddress: 2,
      unknownTargetAddress: 3,
      diagnosticMessageTooLarge: 4,
      outOfMemory: 5,
      targetUnreachable: 6,
      unknownNetwork: 7,
      transportProtocolError: 8
    })
    expect(describeDiagnosticNack(0x06).description).toBe('Target unreachable')
    expect(describeDiagnosticNack(0x00).name).toBe('reserved')
  })
})
