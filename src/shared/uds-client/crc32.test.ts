import { randomBytes } from 'node:crypto'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32, crc32Bytes } from './crc32'

describe('CRC-32 (the one the ECUs check at 0x37 and FF01)', () => {
  it('gives the ISO-HDLC check value and travels big-endian', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926)
    expect(crc32(new Uint8Array())).toBe(0)
    expect(crc32Bytes(0xcbf43926)).toEqual(Uint8Array.of(0xcb, 0xf4, 0x39, 0x26))
  })

  it('agrees with zlib at every length and alignment, eight bytes a step and the tail byte by byte', () => {
    const bytes = new Uint8Array(randomBytes(4096))
    for (let offset = 0; offset < 9; offset++) {
      for (const length of [1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4000]) {
        const slice = bytes.subarray(offset, offset + length)
        expect(crc32(slice), `offset ${offset}, length ${length}`).toBe(zlibCrc32(slice) >>> 0)
      }
    }
  })
})
