/**
 * Follows the MQTT fixed headers in a connection's bytes (a type byte, then the remaining length
 * in up to four 7-bit groups) and returns the size of the first packet larger than `max` as soon
 * as its header has arrived, so the broker can drop the connection before buffering the packet.
 * A header the MQTT parser would refuse (a fifth length byte) is the parser's to reject.
 */
export function packetSizeGuard(max: number) {
  let body = 0
  let header = 0
  let length = 0
  return (chunk: Uint8Array): number | undefined => {
    for (let i = 0; i < chunk.length;) {
      if (body > 0) {
        const n = Math.min(body, chunk.length - i)
        body -= n
        i += n
        continue
      }
      const byte = chunk[i++]!
      if (header === 0) {
        header = 1
        length = 0
        continue
      }
      length += (byte & 0x7f) * 128 ** (header - 1)
      header++
      if (byte & 0x80 && header < 5) continue
      const size = header + length
      header = 0
      if (size > max) return size
      body = length
    }
    return undefined
  }
}
