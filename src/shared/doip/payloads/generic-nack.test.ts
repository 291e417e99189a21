import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { describeGenericNack, GENERIC_NACK } from './generic-nack'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x0000 generic header NACK', () => {
  it('carries one NACK code', () => {
    const bytes = hex('02 FD 00 00 00 00 00 01 04')
    expect(encodeDoipMessage({ type: 'genericNack', code: GENERIC_NACK.invalidPayloadLength })).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual({ type: 'genericNack', code: 4 })
  })

  it('names the five codes', () => {
    expect(GENERIC_NACK).toEqual({ incorrectPatternFormat: 0, unknownPayloadType: 1, messageTooLarge: 2, outOfMemory: 3, invalidPayloadLength: 4 })
    expect(describeGenericNack(0x02).description).toBe('The payload is larger than the entity can process; the message is discarded')
    expect(describeGenericNack(0x05)).toEqual({ code: 5, name: 'reserved', description: 'reserved (0x05)' })
  })
})
