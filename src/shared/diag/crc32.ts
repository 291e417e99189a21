/**
 * CRC-32 as zlib computes it (ISO-HDLC: reflected polynomial 0xEDB88320, initial and final
 * XOR 0xFFFFFFFF), which the simulated ECUs expect with 0x37. Pure, so the console and the
 * vehicle gateway compute it the same way without Node's zlib.
 */
const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

/** Big-endian, as it travels in 0x37 and routine FF01. */
export const crc32Bytes = (crc: number): Uint8Array => Uint8Array.of(crc >>> 24, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff)
