import { describe, expect, it } from 'vitest'
import { ALL_DTC_GROUPS, clearDiagnosticInformation } from './clear-diagnostic-information'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x14 ClearDiagnosticInformation', () => {
  it('clears all groups with FF FF FF', () => {
    expect(clearDiagnosticInformation.encodeRequest({ groupOfDtc: ALL_DTC_GROUPS })).toEqual(hex('14 FF FF FF'))
    expect(clearDiagnosticInformation.decodeRequest(hex('14 01 23 45'))).toEqual({ groupOfDtc: 0x012345 })
  })

  it('answers with the bare SID', () => {
    expect(clearDiagnosticInformation.encodeResponse({})).toEqual(hex('54'))
    expect(clearDiagnosticInformation.decodeResponse(hex('54'))).toEqual({})
  })

  it('needs exactly three group bytes', () => {
    expect(() => clearDiagnosticInformation.decodeRequest(hex('14 FF FF'))).toThrow('0x14 request: groupOfDTC needs 3 bytes, 2 left')
    expect(() => clearDiagnosticInformation.encodeRequest({ groupOfDtc: 0x1000000 })).toThrow(RangeError)
  })
})
