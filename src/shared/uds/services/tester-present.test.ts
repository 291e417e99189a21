import { describe, expect, it } from 'vitest'
import { testerPresent } from './tester-present'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x3E TesterPresent', () => {
  it('keeps the session alive, usually without answer (3E 80)', () => {
    expect(testerPresent.encodeRequest({})).toEqual(hex('3E 00'))
    expect(testerPresent.encodeRequest({ suppressPositiveResponse: true })).toEqual(hex('3E 80'))
    expect(testerPresent.decodeRequest(hex('3E 80'))).toEqual({ suppressPositiveResponse: true })
    expect(testerPresent.encodeResponse({})).toEqual(hex('7E 00'))
    expect(testerPresent.decodeResponse(hex('7E 00'))).toEqual({})
  })

  it('accepts only the zero sub-function', () => {
    expect(() => testerPresent.decodeRequest(hex('3E 01'))).toThrow('0x3E request: sub-function 1 is not zeroSubFunction')
    expect(() => testerPresent.decodeResponse(hex('7E 01'))).toThrow('0x3E response: sub-function echo is not zeroSubFunction')
  })
})
