import { describe, expect, it } from 'vitest'
import { DoipDecodeError } from './errors'
import { DoipStreamFramer } from './framer'
import { HEADER_LENGTH } from './header'
import { decodeDoipMessage, encodeDoipMessage } from './message'
import { mutate, prng, sameBytes } from '../../../test/support/fuzz'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))
const ONES_17 = '31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31 31'

/** One well-formed message of every payload type, for mutation. */
const CORPUS = [
  '02 FD 00 00 00 00 00 01 04',
  'FF 00 00 01 00 00 00 00',
  '02 FD 00 02 00 00 00 06 31 31 31 31 31 31',
  `02 FD 00 03 00 00 00 11 ${ONES_17}`,
  `02 FD 00 04 00 00 00 21 ${ONES_17} 12 34 31 31 31 31 31 31 32 32 32 32 32 32 00 00`,
  '02 FD 00 05 00 00 00 0B 0E 00 00 00 00 00 00 01 02 03 04',
  '02 FD 00 06 00 00 00 09 0E 00 00 37 10 00 00 00 00',
  '02 FD 00 07 00 00 00 00',
  '02 FD 00 08 00 00 00 02 0E 00',
  '02 FD 40 01 00 00 00 00',
  '02 FD 40 02 00 00 00 07 01 10 01 00 00 10 00',
  '03 FC 40 03 00 00 00 00',
  '02 FD 40 04 00 00 00 01 01',
  '02 FD 80 01 00 00 00 07 0E 00 10 01 22 F1 90',
  '02 FD 80 02 00 00 00 08 10 01 0E 00 00 22 F1 90',
  '02 FD 80 03 00 00 00 05 10 01 0E 00 03'
].map(hex)

const TYPES = [0x0000, 0x0001, 0x0002, 0x0003, 0x0004, 0x0005, 0x0006, 0x0007, 0x0008, 0x4001, 0x4002, 0x4003, 0x4004, 0x8001, 0x8002, 0x8003]

/** Random bytes behind a mostly plausible header, so the fuzz gets past the pattern check. */
function randomMessage(random: () => number): Uint8Array {
  const body = Uint8Array.from({ length: Math.floor(random() * 40) }, () => Math.floor(random() * 256))
  if (random() < 0.2) return body
  const version = [0x02, 0x03, 0xff, Math.floor(random() * 256)][Math.floor(random() * 4)] as number
  const type = random() < 0.9 ? (TYPES[Math.floor(random() * TYPES.length)] as number) : Math.floor(random() * 0x10000)
  const length = random() < 0.8 ? body.length : Math.floor(random() * 2 ** 32)
  const inverse = random() < 0.95 ? version ^ 0xff : Math.floor(random() * 256)
  const header = [version, inverse, type >> 8, type & 0xff, length >>> 24, (length >>> 16) & 0xff, (length >>> 8) & 0xff, length & 0xff]
  return new Uint8Array([...header, ...body])
}

function expectCodecError(error: unknown): void {
  if (!(error instanceof DoipDecodeError) || error.message.length === 0 || !(error.nack >= 0 && error.nack <= 4)) throw error
}

describe('DoIP decoders under fuzz', () => {
  it('decodeDoipMessage throws only DoipDecodeError on 20,000 random and mutated messages, and re-encodes what it accepts', { timeout: 5000 }, () => {
    const random = prng(0xd01f)
    let accepted = 0
    for (let i = 0; i < 20_000; i++) {
      const bytes = i % 2 === 0 ? randomMessage(random) : mutate(random, CORPUS[Math.floor(random() * CORPUS.length)] as Uint8Array)
      try {
        const { header, message } = decodeDoipMessage(bytes)
        accepted++
        if (!sameBytes(encodeDoipMessage(message, header.version), bytes)) expect.fail(`${Buffer.from(bytes).toString('hex')} does not re-encode to itself`)
      } catch (error) {
        expectCodecError(error)
      }
    }
    expect(accepted).toBeGreaterThan(1000)
  })

  it('the framer never throws and never holds more than one header and the maximum payload', { timeout: 5000 }, () => {
    const random = prng(0xf4a3)
    const maxPayloadLength = 64
    for (let stream = 0; stream < 2_000; stream++) {
      const framer = new DoipStreamFramer({ maxPayloadLength })
      const parts = Array.from({ length: 10 }, () => {
        const pick = random()
        if (pick < 0.5) return CORPUS[Math.floor(random() * CORPUS.length)] as Uint8Array
        return pick < 0.8 ? mutate(random, CORPUS[Math.floor(random() * CORPUS.length)] as Uint8Array) : randomMessage(random)
      })
      const bytes = new Uint8Array(parts.flatMap((part) => [...part]))
      for (let offset = 0; offset < bytes.length && !framer.closed;) {
        const size = 1 + Math.floor(random() * 24)
        for (const event of framer.push(bytes.subarray(offset, offset + size))) {
          if (event.kind === 'error') expectCodecError(event.error)
        }
        expect(framer.bufferedBytes).toBeLessThanOrEqual(HEADER_LENGTH + maxPayloadLength)
        offset += size
      }
    }
  })

  it('the framer recovers every message of a clean stream cut at random', () => {
    const random = prng(0x0c1e)
    const stream = new Uint8Array(CORPUS.flatMap((message) => [...message]))
    for (let run = 0; run < 200; run++) {
      const framer = new DoipStreamFramer()
      let count = 0
      for (let offset = 0; offset < stream.length;) {
        const size = 1 + Math.floor(random() * 40)
        count += framer.push(stream.subarray(offset, offset + size)).filter((event) => event.kind === 'message').length
        offset += size
      }
      expect(count).toBe(CORPUS.length)
    }
  })
})
