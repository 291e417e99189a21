import { describe, expect, it } from 'vitest'
import { describeNrc, NRC } from './nrc'

describe('NRC table', () => {
  it('names the codes of ISO 14229-1', () => {
    const expected: Record<number, string> = {
      0x10: 'generalReject',
      0x11: 'serviceNotSupported',
      0x12: 'subFunctionNotSupported',
      0x13: 'incorrectMessageLengthOrInvalidFormat',
      0x14: 'responseTooLong',
      0x21: 'busyRepeatRequest',
      0x22: 'conditionsNotCorrect',
      0x24: 'requestSequenceError',
      0x25: 'noResponseFromSubnetComponent',
      0x26: 'failurePreventsExecutionOfRequestedAction',
      0x31: 'requestOutOfRange',
      0x33: 'securityAccessDenied',
      0x35: 'invalidKey',
      0x36: 'exceedNumberOfAttempts',
      0x37: 'requiredTimeDelayNotExpired',
      0x70: 'uploadDownloadNotAccepted',
      0x71: 'transferDataSuspended',
      0x72: 'generalProgrammingFailure',
      0x73: 'wrongBlockSequenceCounter',
      0x78: 'requestCorrectlyReceivedResponsePending',
      0x7e: 'subFunctionNotSupportedInActiveSession',
      0x7f: 'serviceNotSupportedInActiveSession',
      0x81: 'rpmTooHigh',
      0x8f: 'brakeSwitchNotClosed',
      0x92: 'voltageTooHigh',
      0x93: 'voltageTooLow'
    }
    for (const [code, name] of Object.entries(expected)) expect(describeNrc(Number(code)).name).toBe(name)
    expect(NRC.requestCorrectlyReceivedResponsePending).toBe(0x78)
  })

  it('gives every code, named or reserved, a description', () => {
    for (let code = 0; code <= 0xff; code++) expect(describeNrc(code).description.length).toBeGreaterThan(0)
    expect(describeNrc(0x40).name).toBe('reservedByExtendedDataLinkSecurityDocument')
    expect(describeNrc(0xa0).name).toBe('reservedForSpecificConditionsNotCorrect')
    expect(describeNrc(0xf3).name).toBe('vehicleManufacturerSpecificConditionsNotCorrect')
    expect(describeNrc(0x8e)).toEqual({ code: 0x8e, name: 'isoSaeReserved', description: 'Reserved negative response code 0x8E' })
  })
})
