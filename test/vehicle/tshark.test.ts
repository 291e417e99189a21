import { afterAll, describe, expect, it } from 'vitest'
import { demoXorRotateKey, fromHex, toHex } from '../../src/shared/uds'
import { startDoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { dissect } from '../support/doip-capture'
import { tempDir } from '../support/temp-dir'
import { connectTester } from './doip-tester'

const FIELDS = [
  'doip.type',
  'doip.response_code',
  'doip.diag_ack_code',
  'doip.diag_nack_code',
  'uds.sid',
  'uds.reply',
  'uds.err.code',
  'uds.rdbi.data_identifier',
  'uds.rdtci.type',
  '_ws.malformed',
  '_ws.expert.severity'
]

// Wireshark's DoIP and UDS dissectors read a tester session with the simulated entity: what each
// message is, and no malformed packet. No capture privileges: see test/support/doip-capture.ts.
describe('the simulated DoIP entity, as Wireshark dissects it', () => {
  const dir = tempDir('ota-tshark')
  afterAll(() => dir.remove())

  it('dissects routing activation, diagnostic messages with their acks, a NACK and a response pending cleanly', async () => {
    const network = createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(8), 0, ['model_a'], 2).config) })
    const entity = await startDoipEntity({ network, tcpPort: 0, announce: false })
    const tester = await connectTester(entity.tcpPort)
    try {
      await tester.activate()
      const ask = async (target: number, uds: string, answers = 1) => {
        tester.send({ type: 'diagnosticMessage', sourceAddress: 0x0e80, targetAddress: target, userData: fromHex(uds) })
        const received = []
        for (let i = 0; i <= answers; i++) received.push(await tester.next())
        const last = received.at(-1)
        return last?.type === 'diagnosticMessage' ? toHex(last.userData) : ''
      }
      await ask(0x1001, '22 F1 90')
      await ask(0x1001, '19 02 FF')
      await ask(0x2000, '22 F1 90', 0)
      await ask(0x1001, '10 02')
      const seed = fromHex((await ask(0x1001, '27 01')).slice(4))
      await ask(0x1001, `27 02 ${toHex(demoXorRotateKey(seed, 1))}`)
      await ask(0x1001, '31 01 FF 00', 2)
    } finally {
      tester.close()
      await entity.close()
    }

    const rows = dissect(tester.transcript, FIELDS, dir.dir)

    expect(rows.filter((r) => r['_ws.malformed'] || r['_ws.expert.severity'])).toEqual([])
    const doip = rows.flatMap((r) => r['doip.type']!.split('/'))
    expect(doip.filter((t) => t === '0x0006')).toHaveLength(1)
    expect(rows.find((r) => r['doip.type'] === '0x0006')!['doip.response_code']).toBe('0x10')
    expect(rows.some((r) => r['doip.diag_nack_code'] === '0x03')).toBe(true)
    const uds = rows.flatMap((r) => (r['uds.sid'] ? r['uds.sid'].split('/').map((sid, i) => `${sid}${r['uds.reply']!.split('/')[i] === '0x01' ? ' reply' : ''}`) : []))
    expect(uds).toEqual(['0x22', '0x22 reply', '0x19', '0x19 reply', '0x22', '0x10', '0x10 reply', '0x27', '0x27 reply', '0x27', '0x27 reply', '0x31', '0x3f reply', '0x31 reply'])
    expect(rows.some((r) => r['uds.rdbi.data_identifier']?.includes('0xf190'))).toBe(true)
    expect(rows.some((r) => r['uds.err.code'] === '0x78')).toBe(true)
  })
})
