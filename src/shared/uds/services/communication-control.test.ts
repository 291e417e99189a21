import { describe, expect, it } from 'vitest'
import { COMMUNICATION_CONTROL, COMMUNICATION_TYPE, communicationControl } from './communication-control'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x28 CommunicationControl', () => {
  it('encodes the flash preparation 28 81 01', () => {
    const request = { controlType: COMMUNICATION_CONTROL.enableRxAndDisableTx, communicationType: COMMUNICATION_TYPE.normal, suppressPositiveResponse: true }
    expect(communicationControl.encodeRequest(request)).toEqual(hex('28 81 01'))
    expect(communicationControl.decodeRequest(hex('28 81 01'))).toEqual(request)
  })

  it('carries the node identification number with the enhanced address types', () => {
    const request = { controlType: 0x04, communicationType: 0x01, nodeIdentificationNumber: 0x000a, suppressPositiveResponse: false }
    expect(communicationControl.encodeRequest(request)).toEqual(hex('28 04 01 00 0A'))
    expect(communicationControl.decodeRequest(hex('28 04 01 00 0A'))).toEqual(request)
    expect(() => communicationControl.decodeRequest(hex('28 04 01'))).toThrow('0x28 request: nodeIdentificationNumber needs 2 bytes, 0 left')
    expect(() => communicationControl.encodeRequest({ controlType: 0x01, communicationType: 1, nodeIdentificationNumber: 1 })).toThrow(RangeError)
  })

  it('answers with the control type', () => {
    expect(communicationControl.encodeResponse({ controlType: 0x03 })).toEqual(hex('68 03'))
    expect(communicationControl.decodeResponse(hex('68 03'))).toEqual({ controlType: 3 })
  })
})
