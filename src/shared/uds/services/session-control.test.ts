import { describe, expect, it } from 'vitest'
import { diagnosticSessionControl, SESSION } from './session-control'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x10 DiagnosticSessionControl', () => {
  it('encodes and decodes a request, with and without the suppress bit', () => {
    expect(diagnosticSessionControl.encodeRequest({ session: SESSION.extended })).toEqual(hex('10 03'))
    expect(diagnosticSessionControl.encodeRequest({ session: SESSION.programming, suppressPositiveResponse: true })).toEqual(hex('10 82'))
    expect(diagnosticSessionControl.decodeRequest(hex('10 82'))).toEqual({ session: 0x02, suppressPositiveResponse: true })
  })

  it('reads P2 in ms and P2* in 10 ms units from the response', () => {
    // P2 = 0x0032 = 50 ms, P2* = 0x01F4 = 500 × 10 ms
    expect(diagnosticSessionControl.decodeResponse(hex('50 03 00 32 01 F4'))).toEqual({ session: 3, timing: { p2Ms: 50, p2StarMs: 5000 } })
    expect(diagnosticSessionControl.encodeResponse({ session: 3, timing: { p2Ms: 50, p2StarMs: 5000 } })).toEqual(hex('50 03 00 32 01 F4'))
  })

  it('accepts a response without the timing record, as 2006 servers send', () => {
    expect(diagnosticSessionControl.decodeResponse(hex('50 01'))).toEqual({ session: 1 })
    expect(diagnosticSessionControl.encodeResponse({ session: 1 })).toEqual(hex('50 01'))
  })

  it('rejects a truncated timing record, extra bytes and a P2* that is not in 10 ms steps', () => {
    expect(() => diagnosticSessionControl.decodeResponse(hex('50 03 00 32 01'))).toThrow('0x10 response: P2* needs 2 bytes, 1 left')
    expect(() => diagnosticSessionControl.decodeRequest(hex('10 03 00'))).toThrow('0x10 request: 1 unexpected byte after session')
    expect(() => diagnosticSessionControl.encodeResponse({ session: 3, timing: { p2Ms: 50, p2StarMs: 5005 } })).toThrow(RangeError)
  })
})
