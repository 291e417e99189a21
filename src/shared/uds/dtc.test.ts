import { describe, expect, it } from 'vitest'
import { decodeDtcStatus, describeDtc, DTC_STATUS_MASK, encodeDtcStatus, formatDtc, parseDtc } from './dtc'

describe('DTC', () => {
  it('formats the 3 bytes in SAE J2012 letter form', () => {
    expect(formatDtc(0x012345)).toBe('P0123-45')
    expect(formatDtc(0x4a1b00)).toBe('C0A1B-00') // 01 00 1010 → C, 0, A
    expect(formatDtc(0x9fff07)).toBe('B1FFF-07') // 10 01 1111 → B, 1, F
    expect(formatDtc(0xc12300)).toBe('U0123-00') // 11 00 0001 → U, 0, 1
    expect(formatDtc(0xffffff)).toBe('U3FFF-FF')
  })

  it('parses the letter form back', () => {
    expect(parseDtc('P0123-45')).toBe(0x012345)
    expect(parseDtc('u0123')).toBe(0xc12300)
    expect(parseDtc('U3FFF-FF')).toBe(0xffffff)
    expect(() => parseDtc('P4123')).toThrow('"P4123" is not a DTC like P0123-45')
    expect(() => formatDtc(0x1000000)).toThrow(RangeError)
  })

  it('names every status bit', () => {
    expect(decodeDtcStatus(0x09)).toEqual({
      testFailed: true,
      testFailedThisOperationCycle: false,
      pendingDTC: false,
      confirmedDTC: true,
      testNotCompletedSinceLastClear: false,
      testFailedSinceLastClear: false,
      testNotCompletedThisOperationCycle: false,
      warningIndicatorRequested: false
    })
    expect(encodeDtcStatus({ pendingDTC: true, warningIndicatorRequested: true })).toBe(0x84)
    for (let status = 0; status <= 0xff; status++) expect(encodeDtcStatus(decodeDtcStatus(status))).toBe(status)
    expect(DTC_STATUS_MASK.testNotCompletedThisOperationCycle).toBe(0x40)
  })

  it('describes a DTC with its status for logs', () => {
    expect(describeDtc(0x012345, 0x09)).toBe('P0123-45 (status 0x09: testFailed, confirmedDTC)')
    expect(describeDtc(0x012345, 0)).toBe('P0123-45 (status 0x00)')
  })
})
