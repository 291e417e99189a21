import { describe, expect, it } from 'vitest'
import { ecuReset, RESET_TYPE } from './ecu-reset'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x11 ECUReset', () => {
  it('encodes a hard reset and its response', () => {
    expect(ecuReset.encodeRequest({ resetType: RESET_TYPE.hardReset })).toEqual(hex('11 01'))
    expect(ecuReset.decodeRequest(hex('11 81'))).toEqual({ resetType: 1, suppressPositiveResponse: true })
    expect(ecuReset.decodeResponse(hex('51 01'))).toEqual({ resetType: 1 })
    expect(ecuReset.encodeResponse({ resetType: 1 })).toEqual(hex('51 01'))
  })

  it('carries powerDownTime with enableRapidPowerShutDown', () => {
    expect(ecuReset.decodeResponse(hex('51 04 0A'))).toEqual({ resetType: RESET_TYPE.enableRapidPowerShutDown, powerDownTime: 10 })
    expect(ecuReset.encodeResponse({ resetType: 4, powerDownTime: 10 })).toEqual(hex('51 04 0A'))
  })

  it('rejects a missing reset type', () => {
    expect(() => ecuReset.decodeRequest(hex('11'))).toThrow('0x11 request: resetType needs 1 byte, 0 left')
  })
})
