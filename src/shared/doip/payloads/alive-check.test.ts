import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('alive check', () => {
  it('0x0007 request has no payload', () => {
    expect(encodeDoipMessage({ type: 'aliveCheckRequest' })).toEqual(hex('02 FD 00 07 00 00 00 00'))
    expect(decodeDoipMessage(hex('02 FD 00 07 00 00 00 00')).message).toEqual({ type: 'aliveCheckRequest' })
  })

  it('0x0008 response names the tester', () => {
    expect(encodeDoipMessage({ type: 'aliveCheckResponse', sourceAddress: 0x0e00 })).toEqual(hex('02 FD 00 08 00 00 00 02 0E 00'))
    expect(decodeDoipMessage(hex('02 FD 00 08 00 00 00 02 0E 00')).message).toEqual({ type: 'aliveCheckResponse', sourceAddress: 0x0e00 })
  })
})
