import { describe, expect, it } from 'vitest'
import { PROTOCOL_VERSION } from '../header'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { describeFurtherAction, FURTHER_ACTION, SYNC_STATUS } from './vehicle-identification'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))
const ONES_17 = '31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31'

describe('vehicle identification', () => {
  it('0x0001 request, also with the default version 0xFF', () => {
    expect(encodeDoipMessage({ type: 'vehicleIdentificationRequest' })).toEqual(hex('02 FD 00 01 00 00 00 00'))
    expect(encodeDoipMessage({ type: 'vehicleIdentificationRequest' }, PROTOCOL_VERSION.vehicleIdentificationDefault)).toEqual(hex('FF 00 00 01 00 00 00 00'))
    expect(decodeDoipMessage(hex('FF 00 00 01 00 00 00 00'))).toEqual({
      header: { version: 0xff, payloadType: 1, payloadLength: 0 },
      message: { type: 'vehicleIdentificationRequest' }
    })
  })

  it('0x0002 request by EID', () => {
    const bytes = hex('02 FD 00 02 00 00 00 06 31 31 31 31 31 31')
    expect(encodeDoipMessage({ type: 'vehicleIdentificationRequestByEid', eid: hex('31 31 31 31 31 31') })).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual({ type: 'vehicleIdentificationRequestByEid', eid: hex('31 31 31 31 31 31') })
    expect(() => encodeDoipMessage({ type: 'vehicleIdentificationRequestByEid', eid: hex('31') })).toThrow('EID is 6 bytes, got 1')
  })

  it('0x0003 request by VIN', () => {
    const bytes = hex(`02 FD 00 03 00 00 00 11 ${ONES_17}`)
    expect(encodeDoipMessage({ type: 'vehicleIdentificationRequestByVin', vin: '11111111111111111' })).toEqual(bytes)
    expect(decodeDoipMessage(bytes).message).toEqual({ type: 'vehicleIdentificationRequestByVin', vin: '11111111111111111' })
    expect(() => encodeDoipMessage({ type: 'vehicleIdentificationRequestByVin', vin: 'SHORT' })).toThrow('a VIN is 17 single-byte characters')
  })

  it('0x0004 announcement with and without sync status', () => {
    const announcement = {
      type: 'vehicleAnnouncement',
      vin: '11111111111111111',
      logicalAddress: 0x1234,
      eid: hex('31 31 31 31 31 31'),
      gid: hex('32 32 32 32 32 32'),
      furtherAction: FURTHER_ACTION.noFurtherActionRequired
    } as const
    const withSync = hex(`02 FD 00 04 00 00 00 21 ${ONES_17} 12 34 31 31 31 31 31 31 32 32 32 32 32 32 00 00`)
    expect(encodeDoipMessage({ ...announcement, syncStatus: SYNC_STATUS.synchronized })).toEqual(withSync)
    expect(decodeDoipMessage(withSync).message).toEqual({ ...announcement, syncStatus: 0 })
    const withoutSync = hex(`02 FD 00 04 00 00 00 20 ${ONES_17} 12 34 31 31 31 31 31 31 32 32 32 32 32 32 10`)
    expect(decodeDoipMessage(withoutSync).message).toEqual({ ...announcement, furtherAction: FURTHER_ACTION.routingActivationRequiredForCentralSecurity })
  })

  it('keeps an unset VIN (all 0xFF) intact', () => {
    const unset = '\xff'.repeat(17)
    const bytes = encodeDoipMessage({ type: 'vehicleIdentificationRequestByVin', vin: unset })
    expect(bytes.subarray(8)).toEqual(new Uint8Array(17).fill(0xff))
    expect(decodeDoipMessage(bytes).message).toEqual({ type: 'vehicleIdentificationRequestByVin', vin: unset })
  })

  it('names further actions', () => {
    expect(describeFurtherAction(0x10).name).toBe('routingActivationRequiredForCentralSecurity')
    expect(describeFurtherAction(0x20).name).toBe('oemSpecific')
    expect(describeFurtherAction(0x05).name).toBe('reserved')
  })
})
