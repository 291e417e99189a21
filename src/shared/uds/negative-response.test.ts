import { describe, expect, it } from 'vitest'
import { decodeNegativeResponse, describeNegativeResponse, encodeNegativeResponse, isNegativeResponse, isResponsePending } from './negative-response'
import { readDataByIdentifier } from './services/read-data-by-identifier'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('negative response 7F SID NRC', () => {
  it('encodes and decodes', () => {
    expect(encodeNegativeResponse({ requestSid: 0x27, nrc: 0x35 })).toEqual(hex('7F 27 35'))
    expect(decodeNegativeResponse(hex('7F 27 35'))).toEqual({ requestSid: 0x27, nrc: 0x35 })
    expect(isNegativeResponse(hex('7F 27 35'))).toBe(true)
    expect(isNegativeResponse(hex('67 01 00'))).toBe(false)
  })

  it('recognises response pending', () => {
    expect(isResponsePending(hex('7F 31 78'))).toBe(true)
    expect(isResponsePending(hex('7F 31 22'))).toBe(false)
  })

  it('describes the refusal for people', () => {
    expect(describeNegativeResponse({ requestSid: 0x27, nrc: 0x35 })).toBe('0x27 refused: invalidKey (0x35): The key sent does not match the seed')
  })

  it('is named when a service decoder is handed one', () => {
    expect(() => readDataByIdentifier.decodeResponse(hex('7F 22 31'))).toThrow('0x22 response: negative response 0x31 requestOutOfRange; check for it with decodeNegativeResponse')
  })

  it('rejects a frame that is not three bytes', () => {
    expect(() => decodeNegativeResponse(hex('7F 22'))).toThrow('negative response: NRC needs 1 byte, 0 left')
    expect(() => decodeNegativeResponse(hex('7F 22 31 00'))).toThrow('negative response: 1 unexpected byte after NRC')
  })
})
