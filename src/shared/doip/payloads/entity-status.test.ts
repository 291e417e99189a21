import { describe, expect, it } from 'vitest'
import { decodeDoipMessage, encodeDoipMessage } from '../message'
import { describeNodeType, NODE_TYPE } from './entity-status'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('entity status', () => {
  it('0x4001 request has no payload', () => {
    expect(encodeDoipMessage({ type: 'entityStatusRequest' })).toEqual(hex('02 FD 40 01 00 00 00 00'))
    expect(decodeDoipMessage(hex('02 FD 40 01 00 00 00 00')).message).toEqual({ type: 'entityStatusRequest' })
  })

  it('0x4002 response with and without max data size', () => {
    const status = { type: 'entityStatusResponse', nodeType: NODE_TYPE.node, maxOpenSockets: 16, openSockets: 1 } as const
    expect(encodeDoipMessage(status)).toEqual(hex('02 FD 40 02 00 00 00 03 01 10 01'))
    expect(decodeDoipMessage(hex('02 FD 40 02 00 00 00 03 01 10 01')).message).toEqual(status)
    const withSize = hex('02 FD 40 02 00 00 00 07 01 10 01 00 00 10 00')
    expect(encodeDoipMessage({ ...status, maxDataSize: 4096 })).toEqual(withSize)
    expect(decodeDoipMessage(withSize).message).toEqual({ ...status, maxDataSize: 4096 })
    expect(describeNodeType(0).description).toBe('DoIP gateway')
  })
})
