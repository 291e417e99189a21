import { describe, expect, it } from 'vitest'
import { decodeUdsRequest, decodeUdsResponse, encodeUdsRequest, encodeUdsResponse } from './codec'
import { NRC } from './nrc'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('UDS codec dispatch', () => {
  it('tags a request with its service and encodes it back', () => {
    const request = decodeUdsRequest(hex('22 F1 90 F1 86'))
    expect(request).toEqual({ service: 'readDataByIdentifier', dids: [0xf190, 0xf186] })
    expect(encodeUdsRequest(request)).toEqual(hex('22 F1 90 F1 86'))
    // The tag narrows the union, so a simulator can switch on it.
    if (request.service === 'readDataByIdentifier') expect(request.dids[0]).toBe(0xf190)
    expect(encodeUdsRequest({ service: 'testerPresent', suppressPositiveResponse: true })).toEqual(hex('3E 80'))
  })

  it('tags positive and negative responses', () => {
    expect(decodeUdsResponse(hex('50 03 00 32 01 F4'))).toEqual({ service: 'diagnosticSessionControl', session: 3, timing: { p2Ms: 50, p2StarMs: 5000 } })
    expect(decodeUdsResponse(hex('7F 22 31'))).toEqual({ service: 'negativeResponse', requestSid: 0x22, nrc: 0x31 })
    expect(encodeUdsResponse({ service: 'negativeResponse', requestSid: 0x31, nrc: NRC.requestCorrectlyReceivedResponsePending })).toEqual(hex('7F 31 78'))
    expect(encodeUdsResponse({ service: 'controlDtcSetting', settingType: 2 })).toEqual(hex('C5 02'))
    expect(encodeUdsResponse({ service: 'testerPresent' })).toEqual(hex('7E 00'))
    expect(decodeUdsResponse(hex('54'))).toEqual({ service: 'clearDiagnosticInformation' })
  })

  it('answers an unknown service with serviceNotSupported', () => {
    expect(() => decodeUdsRequest(hex('23 44 00 00'))).toThrow(expect.objectContaining({ name: 'UdsDecodeError', message: '0x23 request: service not supported by this codec' }))
    expect(() => decodeUdsRequest(hex('23'))).toThrow(expect.objectContaining({ nrc: NRC.serviceNotSupported }))
    expect(() => decodeUdsRequest(new Uint8Array())).toThrow('empty request')
    expect(() => decodeUdsResponse(hex('63 00'))).toThrow('0x63 is not a positive response of a service this codec covers')
    expect(() => decodeUdsResponse(hex('10'))).toThrow('0x10 is not a positive response')
  })

  it('passes decode options to the service', () => {
    expect(decodeUdsResponse(hex('59 06 01 23 45 24 01 05 02 07'), { extendedDataSize: () => 1 })).toMatchObject({
      extendedData: [
        { recordNumber: 1, data: hex('05') },
        { recordNumber: 2, data: hex('07') }
      ]
    })
  })
})
