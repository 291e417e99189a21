import { generate } from 'mqtt-packet'
import { describe, expect, it } from 'vitest'
import { packetSizeGuard } from './packet-size'

const publish = (bytes: number) => generate({ cmd: 'publish', topic: 'ota/v1/x', payload: Buffer.alloc(bytes), qos: 0, dup: false, retain: false })
const ping = generate({ cmd: 'pingreq' })

describe('the MQTT packet size guard', () => {
  it('passes packets up to the limit, however the stream is cut', () => {
    const stream = Buffer.concat([ping, publish(10), publish(1000), ping, publish(20_000)])
    const max = publish(20_000).length
    for (const cut of [1, 2, 7, 4096]) {
      const guard = packetSizeGuard(max)
      for (let i = 0; i < stream.length; i += cut) expect(guard(stream.subarray(i, i + cut))).toBeUndefined()
    }
  })

  it('names an oversized packet from its header alone, one byte at a time too', () => {
    const big = publish(5 * 1024 * 1024)
    expect(packetSizeGuard(1024 * 1024)(Buffer.concat([publish(100), big.subarray(0, 5)]))).toBe(big.length)
    const guard = packetSizeGuard(1024 * 1024)
    const seen = [...big.subarray(0, 5)].map((byte) => guard(Uint8Array.of(byte)))
    expect(seen).toEqual([undefined, undefined, undefined, undefined, big.length])
  })

  it("counts the whole packet, header included, as Mosquitto's max_packet_size does", () => {
    const packet = publish(300)
    expect(packetSizeGuard(packet.length)(packet)).toBeUndefined()
    expect(packetSizeGuard(packet.length - 1)(packet)).toBe(packet.length)
  })
})
