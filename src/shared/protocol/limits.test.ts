import { describe, expect, it } from 'vitest'
import { MAX_PACKET_BYTES } from './limits'
import { DiagResponse, VersionReport } from './messages'
import { topicFor } from './topics'

const VIN = 'SMV0000000000000A'
/** A QoS 1 PUBLISH: fixed header (at most 5 bytes), topic length, topic, packet id, payload. */
const packetBytes = (topic: string, message: unknown) => 5 + 2 + topic.length + 2 + Buffer.byteLength(JSON.stringify(message))

describe('the packet size limit', () => {
  it('fits the longest UDS answer and a version report at the schema bounds', () => {
    const answer = DiagResponse.parse({ correlationId: 'c'.repeat(64), sourceAddress: 0xffff, uds: 'ff'.repeat(0xffff) })
    const ecus = Array.from({ length: 200 }, (_, i) => ({
      id: `ECU_${String(i).padStart(3, '0')}`,
      logicalAddress: 0xffff,
      hardware: 'h'.repeat(64),
      software: '999.999.999-rc.999'
    }))
    const report = VersionReport.parse({
      vin: VIN,
      model: 'm'.repeat(63),
      gateway: { logicalAddress: 0xffff, hardware: 'h'.repeat(64), software: '999.999.999-rc.999' },
      zonalGateways: Array.from({ length: 16 }, (_, i) => ({ id: `ZGW_${String(i).padStart(2, '0')}`, logicalAddress: 0xffff, ecus })),
      at: new Date().toISOString()
    })
    expect(packetBytes(topicFor('diagResponse', VIN), answer)).toBeLessThan(MAX_PACKET_BYTES)
    expect(packetBytes(topicFor('config', VIN), report)).toBeLessThan(MAX_PACKET_BYTES)
  })
})
