import { describe, expect, it } from 'vitest'
import { DoipStreamFramer, type FramerEvent } from './framer'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

const ROUTING_RESPONSE = hex('02 FD 00 06 00 00 00 09 0E 00 00 37 10 00 00 00 00')
const ALIVE_CHECK = hex('02 FD 00 07 00 00 00 00')
const DIAGNOSTIC = hex('02 FD 80 01 00 00 00 07 10 01 0E 00 62 F1 86')
const STREAM = new Uint8Array([...ROUTING_RESPONSE, ...ALIVE_CHECK, ...DIAGNOSTIC])

const types = (events: FramerEvent[]) => events.map((event) => (event.kind === 'message' ? event.message.type : `nack ${event.error.nack}`))

describe('DoIP stream framer', () => {
  it('yields whole messages from one chunk', () => {
    expect(types(new DoipStreamFramer().push(STREAM))).toEqual(['routingActivationResponse', 'aliveCheckRequest', 'diagnosticMessage'])
  })

  it('yields the same messages however the stream is split', () => {
    for (let split = 1; split <= STREAM.length; split++) {
      const framer = new DoipStreamFramer()
      const events: FramerEvent[] = []
      for (let offset = 0; offset < STREAM.length; offset += split) events.push(...framer.push(STREAM.subarray(offset, offset + split)))
      expect(types(events)).toEqual(['routingActivationResponse', 'aliveCheckRequest', 'diagnosticMessage'])
      expect(events[2]).toMatchObject({ message: { sourceAddress: 0x1001, targetAddress: 0x0e00, userData: hex('62 F1 86') } })
      expect(framer.bufferedBytes).toBe(0)
    }
  })

  it('holds an incomplete message until the rest arrives', () => {
    const framer = new DoipStreamFramer()
    expect(framer.push(DIAGNOSTIC.subarray(0, 10))).toEqual([])
    expect(framer.bufferedBytes).toBe(7)
    expect(types(framer.push(DIAGNOSTIC.subarray(10)))).toEqual(['diagnosticMessage'])
  })

  it('decodes a message wholly inside one chunk where it lies, without copying its user data', () => {
    const chunk = new Uint8Array([...ALIVE_CHECK, ...DIAGNOSTIC])
    const [, diagnostic] = new DoipStreamFramer().push(chunk)
    const userData = (diagnostic as { message: { userData: Uint8Array } }).message.userData
    expect(userData).toEqual(hex('62 F1 86'))
    expect(userData.buffer).toBe(chunk.buffer)
  })

  it('skips an unknown payload type (NACK 0x01) without buffering it, and carries on', () => {
    const framer = new DoipStreamFramer()
    const unknown = hex('02 FD 99 99 00 01 00 00')
    expect(types(framer.push(unknown))).toEqual(['nack 1'])
    expect(framer.push(new Uint8Array(0x10000 - 1))).toEqual([])
    expect(framer.bufferedBytes).toBe(0)
    expect(types(framer.push(new Uint8Array([0, ...ALIVE_CHECK])))).toEqual(['aliveCheckRequest'])
    expect(framer.closed).toBe(false)
  })

  it('refuses a message above the limit (NACK 0x02) without buffering it', () => {
    const framer = new DoipStreamFramer({ maxPayloadLength: 64 })
    const tooLarge = hex('02 FD 80 01 00 00 10 00')
    expect(types(framer.push(tooLarge))).toEqual(['nack 2'])
    framer.push(new Uint8Array(0x1000))
    expect(framer.bufferedBytes).toBe(0)
    expect(types(framer.push(ALIVE_CHECK))).toEqual(['aliveCheckRequest'])
  })

  it('stops after a header that closes the connection', () => {
    const framer = new DoipStreamFramer()
    const events = framer.push(new Uint8Array([...hex('02 FC 00 07 00 00 00 00'), ...ALIVE_CHECK]))
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ kind: 'error', error: { nack: 0x00, closeConnection: true } })
    expect(framer.closed).toBe(true)
    expect(framer.push(ALIVE_CHECK)).toEqual([])
    expect(framer.bufferedBytes).toBe(0)
  })
})
