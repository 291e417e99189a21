import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { describePowerMode, POWER_MODE } from './power-mode'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('diagnostic power mode', () => {
  it('0x4003 request has no payload', () => {
    expect(encodeDoipMessage({ type: 'powerModeRequest' })).toEqual(hex('02 FD 40 03 00 00 00 00'))
    expect(decodeDoipMessage(hex('02 FD 40 03 00 00 00 00')).message).toEqual({ type: 'powerModeRequest' })
  })

  it('0x4004 response carries the mode', () => {
    expect(encodeDoipMessage({ type: 'powerModeResponse', powerMode: POWER_MODE.ready })).toEqual(hex('02 FD 40 04 00 00 00 01 01'))
    expect(decodeDoipMessage(hex('02 FD 40 04 00 00 00 01 01')).message).toEqual({ type: 'powerModeResponse', powerMode: 1 })
    expect(describePowerMode(2).name).toBe('notSupported')
  })
})
