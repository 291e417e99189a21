import { describe, expect, it } from 'vitest'
import { FIRST_BLOCK_SEQUENCE_COUNTER, nextBlockSequenceCounter, transferData } from './transfer-data'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x36 TransferData', () => {
  it('sends a block behind its sequence counter', () => {
    const request = { blockSequenceCounter: FIRST_BLOCK_SEQUENCE_COUNTER, data: hex('DE AD BE EF') }
    expect(transferData.encodeRequest(request)).toEqual(hex('36 01 DE AD BE EF'))
    expect(transferData.decodeRequest(hex('36 01 DE AD BE EF'))).toEqual(request)
    expect(transferData.decodeResponse(hex('76 01'))).toEqual({ blockSequenceCounter: 1, data: hex('') })
    expect(transferData.encodeResponse({ blockSequenceCounter: 1, data: hex('') })).toEqual(hex('76 01'))
  })

  it('wraps the counter from 0xFF to 0x00', () => {
    expect(nextBlockSequenceCounter(0x01)).toBe(0x02)
    expect(nextBlockSequenceCounter(0xff)).toBe(0x00)
    expect(nextBlockSequenceCounter(0x00)).toBe(0x01)
  })

  it('rejects a frame without counter', () => {
    expect(() => transferData.decodeRequest(hex('36'))).toThrow('0x36 request: blockSequenceCounter needs 1 byte, 0 left')
  })
})
