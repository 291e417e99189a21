import { describe, expect, it } from 'vitest'
import { FIRST_BLOCK_SEQUENCE_COUNTER, nextBlockSequenceCounter, transferData, transferDataRequests } from './transfer-data'

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

  it('cuts an image into the requests of a download, each a frame the codec reads back, the counter wrapping FF → 00', () => {
    const image = Uint8Array.from({ length: 260 * 3 + 2 }, (_, i) => i & 0xff)
    const blocks = []
    for (const block of transferDataRequests(image, 3)) {
      blocks.push(block)
      expect(transferData.decodeRequest(block.frame)).toEqual({ blockSequenceCounter: block.counter, data: image.subarray(block.offset, block.offset + block.length) })
    }
    expect(blocks).toHaveLength(261)
    expect(blocks.map((b) => b.counter).slice(253, 258)).toEqual([0xfe, 0xff, 0x00, 0x01, 0x02])
    expect(blocks.at(-1)).toMatchObject({ offset: 780, length: 2 })
    expect(() => transferDataRequests(image, 0).next()).toThrow('a block carries at least one byte, not 0')
  })
})
