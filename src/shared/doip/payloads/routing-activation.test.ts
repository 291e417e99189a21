import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { ACTIVATION_TYPE, describeActivationType, describeRoutingActivationCode, ROUTING_ACTIVATION_CODE } from './routing-activation'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('routing activation', () => {
  it('0x0005 request with reserved bytes and optional OEM field', () => {
    const bytes = hex('02 FD 00 05 00 00 00 07 0E 00 00 00 00 00 00')
    expect(encodeDoipMessage({ type: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: ACTIVATION_TYPE.default })).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual({ type: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0, reserved: 0 })
    const withOem = hex('02 FD 00 05 00 00 00 0B 0E 00 00 00 00 00 00 01 02 03 04')
    const request = { type: 'routingActivationRequest', sourceAddress: 0x0e00, activationType: 0, reserved: 0, oemSpecific: 0x01020304 } as const
    expect(encodeDoipMessage(request)).toEqual(withOem)
    expect(decodeDoipMessage(withOem).message).toEqual(request)
  })

  it('0x0006 response with the tester and entity addresses', () => {
    const bytes = hex('02 FD 00 06 00 00 00 09 0E 00 00 37 10 00 00 00 00')
    const response = { type: 'routingActivationResponse', testerAddress: 0x0e00, entityAddress: 0x0037, responseCode: ROUTING_ACTIVATION_CODE.success, reserved: 0 } as const
    expect(encodeDoipMessage(response)).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual(response)
    const withOem = hex('02 FD 00 06 00 00 00 0D 0E 00 00 37 10 00 00 00 00 04 03 02 01')
    expect(decodeDoipMessage(withOem).message).toEqual({ ...response, oemSpecific: 0x04030201 })
  })

  it('names every response code of ISO 13400-2', () => {
    expect(ROUTING_ACTIVATION_CODE).toEqual({
      deniedUnknownSourceAddress: 0x00,
      deniedAllSocketsRegistered: 0x01,
      deniedSourceAddressDifferent: 0x02,
      deniedSourceAddressActiveElsewhere: 0x03,
      deniedMissingAuthentication: 0x04,
      deniedRejectedConfirmation: 0x05,
      deniedUnsupportedActivationType: 0x06,
      deniedTlsRequired: 0x07,
      success: 0x10,
      confirmationRequired: 0x11
    })
    expect(describeRoutingActivationCode(0x07).description).toBe('Routing activation denied: the activation type requires a TLS socket')
    expect(describeRoutingActivationCode(0x08).name).toBe('reserved')
    expect(describeRoutingActivationCode(0xe5).name).toBe('oemSpecific')
    expect(describeActivationType(0xe0).name).toBe('centralSecurity')
    expect(describeActivationType(0xe1).name).toBe('oemSpecific')
  })
})
