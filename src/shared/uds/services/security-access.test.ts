import { describe, expect, it } from 'vitest'
import { demoXorRotateKey } from '../security-key'
import { securityAccess, securityAccessType } from './security-access'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x27 SecurityAccess', () => {
  it('requests a seed with the odd sub-function', () => {
    expect(securityAccess.encodeRequest({ action: 'requestSeed', level: 1 })).toEqual(hex('27 01'))
    expect(securityAccess.decodeRequest(hex('27 03'))).toEqual({ action: 'requestSeed', level: 3, data: hex(''), suppressPositiveResponse: false })
    expect(securityAccess.decodeResponse(hex('67 01 11 22 33 44'))).toEqual({ action: 'requestSeed', level: 1, seed: hex('11 22 33 44') })
    expect(securityAccess.encodeResponse({ action: 'requestSeed', level: 1, seed: hex('11 22 33 44') })).toEqual(hex('67 01 11 22 33 44'))
  })

  it('sends the key with the next even sub-function', () => {
    const key = demoXorRotateKey(hex('11 22 33 44'), 1)
    expect(securityAccess.encodeRequest({ action: 'sendKey', level: 1, key })).toEqual(hex('27 02 7A 17 6F 2A'))
    expect(securityAccess.decodeRequest(hex('27 02 7A 17 6F 2A'))).toEqual({ action: 'sendKey', level: 1, key, suppressPositiveResponse: false })
    expect(securityAccess.decodeResponse(hex('67 02'))).toEqual({ action: 'sendKey', level: 1 })
    expect(securityAccess.encodeResponse({ action: 'sendKey', level: 1 })).toEqual(hex('67 02'))
  })

  it('maps levels to sub-functions and refuses even levels', () => {
    expect(securityAccessType('requestSeed', 0x11)).toBe(0x11)
    expect(securityAccessType('sendKey', 0x11)).toBe(0x12)
    expect(() => securityAccessType('sendKey', 2)).toThrow(RangeError)
  })

  it('rejects reserved types, a key-less sendKey and a seed-less response', () => {
    expect(() => securityAccess.decodeRequest(hex('27 00'))).toThrow('0x27 request: securityAccessType 0x00 is reserved')
    expect(() => securityAccess.decodeRequest(hex('27 7F'))).toThrow('securityAccessType 0x7F is reserved')
    expect(() => securityAccess.decodeRequest(hex('27 02'))).toThrow('0x27 request: sendKey carries no key')
    expect(() => securityAccess.decodeResponse(hex('67 01'))).toThrow('0x27 response: requestSeed response carries no seed')
  })
})
