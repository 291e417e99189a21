import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { DoipTransport } from '../../src/core/uds-session/doip/doip-transport'
import { createDiagSession } from '../../src/core/uds-session/session'
import { fromHex } from '../../src/shared/uds'
import { startDoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import { hardwareFor, vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { dissect, messagesOf, startRecordingProxy } from '../support/doip-capture'
import { tempDir } from '../support/temp-dir'

const FIELDS = [
  'doip.type',
  'doip.source_address',
  'doip.target_address',
  'doip.response_code',
  'doip.diag_ack_code',
  'doip.diag_nack_code',
  'uds.sid',
  'uds.reply',
  'uds.err.sid',
  'uds.err.code',
  'uds.rdbi.data_identifier',
  'uds.wdbi.data_identifier',
  'uds.td.block_sequence_counter',
  'uds.rd.max_number_of_block_length',
  'uds.rc.identifier',
  '_ws.malformed',
  '_ws.expert.severity'
]

const all = (rows: Record<string, string>[], field: string) => rows.flatMap((r) => (r[field] ? r[field].split(/[/\\]+/) : []))

// §8: the console's own DoIP traffic, recorded by a proxy between the client and the simulated
// entity and dissected by Wireshark: every frame decodes, nothing is malformed or flagged, and
// the fields say what the client did (routing activation, alive check, diagnostic messages and
// their acks, a NACK, UDS services of a whole flash, 7F 31 78 while erasing, an NRC by code).
describe("the console's DoIP client, as Wireshark dissects it", () => {
  const dir = tempDir('ota-diag-tshark')
  afterAll(() => dir.remove())

  it('decodes every frame of a diagnostic session and a flash, with the fields expected', async () => {
    const config = structuredClone(vehicleSpec(seeded(12), 0, ['model_a'], 1).config)
    const entity = await startDoipEntity({ network: createEcuNetwork({ config, settings: { eraseMs: 50 } }), tcpPort: 0, announce: false })
    const proxy = await startRecordingProxy(entity.tcpPort)
    const transport = await DoipTransport.open({ host: '127.0.0.1', port: proxy.port, timers: { generalInactivityMs: 200 } })
    const session = createDiagSession(transport)
    try {
      await session.readDids(0x0e00, [0xf190])
      await session.readDtcs(0x1001, 0xff)
      await session.request(0x1001, fromHex('22 12 34'))
      await session.request(0x2000, fromHex('22 F1 90')).catch(() => undefined)
      // Idle past half the entity's inactivity time: the client sends an alive check of its own.
      await expect.poll(() => messagesOf(proxy.transcript, 'in').some((m) => m.type === 'aliveCheckResponse')).toBe(true)
      const release = { id: 'rel_0000000000000001', model: 'model_a', ecu: 'ECU_001', version: '1.7.0', hardware: [hardwareFor('model_a', 1)] }
      await session.flash(0x1001, { kind: 'image', image: new Uint8Array(randomBytes(4094 * 3 + 100)), release, expected: { vin: config.vin, model: 'model_a', ecu: 'ECU_001' } })
    } finally {
      await session.close()
      await proxy.close()
      await entity.close()
    }

    const rows = dissect(proxy.transcript, FIELDS, dir.dir)
    expect(rows.filter((r) => r['_ws.malformed'] || r['_ws.expert.severity'])).toEqual([])
    expect(rows.filter((r) => !r['doip.type'])).toEqual([])

    const types = all(rows, 'doip.type')
    expect(types.slice(0, 2)).toEqual(['0x0005', '0x0006'])
    expect(rows.find((r) => r['doip.type'] === '0x0006')!['doip.response_code']).toBe('0x10')
    expect(types).toContain('0x0007')
    expect(types).toContain('0x0008')
    // Every diagnostic message the tester sent was acknowledged (0x8002) or refused (0x8003) once.
    const fromTester = rows.filter((r) => r['doip.type']?.split('/').includes('0x8001') && r['doip.source_address']?.startsWith('0x0e80')).length
    const count = (type: string) => types.filter((t) => t === type).length
    expect(fromTester).toBeGreaterThan(20)
    expect(count('0x8002') + count('0x8003')).toBe(fromTester)
    expect(all(rows, 'doip.diag_nack_code')).toEqual(['0x03'])
    expect(new Set(all(rows, 'doip.source_address'))).toEqual(new Set(['0x0e80', '0x0e00', '0x1001', '0x2000']))

    const sids = new Set(all(rows, 'uds.sid'))
    for (const sid of ['0x22', '0x19', '0x10', '0x27', '0x31', '0x34', '0x36', '0x37', '0x2e', '0x11']) expect(sids).toContain(sid)
    expect(all(rows, 'uds.rdbi.data_identifier')).toEqual(expect.arrayContaining(['0xf190', '0x1234', '0xf191', '0xf195']))
    expect(all(rows, 'uds.wdbi.data_identifier')).toEqual(['0xf1a0', '0xf1a0'])
    const errors = all(rows, 'uds.err.sid').map((sid, i) => `${sid} ${all(rows, 'uds.err.code')[i]}`)
    expect(errors).toEqual(expect.arrayContaining(['0x22 0x31', '0x31 0x78']))
    expect(all(rows, 'uds.rd.max_number_of_block_length').map(Number)).toEqual([4096])
    expect(all(rows, 'uds.rc.identifier')).toEqual(expect.arrayContaining(['0xff00', '0xff01']))
    // Four blocks, each request and its positive response carrying the counter.
    expect(all(rows, 'uds.td.block_sequence_counter')).toEqual(['1', '1', '2', '2', '3', '3', '4', '4'])
  })
})
