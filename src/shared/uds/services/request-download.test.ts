import { describe, expect, it } from 'vitest'
import { NRC } from '../nrc'
import { requestDownload, transferDataChunkSize } from './request-download'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x34 RequestDownload', () => {
  it('encodes format, address and size', () => {
    const request = hex('34 00 44 00 00 80 00 00 01 00 00')
    expect(requestDownload.encodeRequest({ address: 0x8000, size: 0x10000 })).toEqual(request)
    expect(requestDownload.decodeRequest(request)).toEqual({ dataFormatIdentifier: 0, address: 0x8000, size: 0x10000, addressLength: 4, sizeLength: 4 })
    expect(requestDownload.encodeRequest({ dataFormatIdentifier: 0x11, address: 0x1234, size: 0xff, addressLength: 2, sizeLength: 1 })).toEqual(hex('34 11 12 12 34 FF'))
  })

  it('reads maxNumberOfBlockLength, which counts the 0x36 SID and counter', () => {
    expect(requestDownload.decodeResponse(hex('74 20 0F FA'))).toEqual({ maxNumberOfBlockLength: 0x0ffa, blockLengthBytes: 2 })
    expect(requestDownload.encodeResponse({ maxNumberOfBlockLength: 0x0ffa })).toEqual(hex('74 20 0F FA'))
    expect(requestDownload.decodeResponse(hex('74 40 00 01 00 02'))).toEqual({ maxNumberOfBlockLength: 0x10002, blockLengthBytes: 4 })
    // A block past 0xFFFF needs a third byte; an encoder that kept two would fail or truncate it.
    expect(requestDownload.encodeResponse({ maxNumberOfBlockLength: 0x10000 })).toEqual(hex('74 30 01 00 00'))
    expect(transferDataChunkSize(0x0ffa)).toBe(0x0ff8)
  })

  it('rejects malformed format identifiers with requestOutOfRange', () => {
    expect(() => requestDownload.decodeRequest(hex('34 00 F4 00 00 80 00'))).toThrow(expect.objectContaining({ nrc: NRC.requestOutOfRange }))
    expect(() => requestDownload.decodeResponse(hex('74 21 0F FA'))).toThrow('0x34 response: lengthFormatIdentifier 0x21 is not 0x10 to 0x60')
    expect(() => requestDownload.decodeRequest(hex('34 00 44 00 00 80 00 00 01 00'))).toThrow('0x34 request: memorySize needs 4 bytes, 3 left')
  })
})
