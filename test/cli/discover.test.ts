import { createSocket } from 'node:dgram'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import { formatEid } from '../../src/vehicle/doip/node-info'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { otactl } from './support'

// otactl discover as a process: the vehicles that answer a UDP identification request, with the
// --doip address to use next; nothing answering is a connection failure (exit 2).
describe('otactl discover', () => {
  let entity: DoipEntity

  beforeAll(async () => {
    const config = structuredClone(vehicleSpec(seeded(12), 0, ['model_a'], 1).config)
    entity = await startDoipEntity({ network: createEcuNetwork({ config }), tcpPort: 0, announce: false })
  })
  afterAll(async () => {
    await entity?.close()
  })

  it('lists the vehicle that answers, for people and for scripts', async () => {
    const address = `127.0.0.1:${entity.udpPort}`
    const [human, json] = await Promise.all([otactl('discover', '--address', address, '--wait', '500'), otactl('discover', '--address', address, '--wait', '500', '--json')])
    expect(human).toMatchObject({ code: 0, stderr: '' })
    expect(human.stdout).toBe(`${entity.info.vin}  --doip 127.0.0.1:${entity.tcpPort}  entity 0x0E00  EID ${formatEid(entity.info.eid).toUpperCase()}\n`)
    expect(JSON.parse(json.stdout)).toEqual({
      vehicles: [
        {
          vin: entity.info.vin,
          logicalAddress: 0x0e00,
          eid: formatEid(entity.info.eid).toUpperCase(),
          gid: formatEid(entity.info.gid).toUpperCase(),
          furtherAction: 'noFurtherActionRequired',
          host: '127.0.0.1',
          port: entity.tcpPort
        }
      ]
    })
  })

  it('exits 2 saying so when no vehicle answers, and 1 for an address it cannot read', async () => {
    // A UDP port held by a socket that never answers.
    const silent = createSocket('udp4')
    await new Promise<void>((resolve) => silent.bind(0, '127.0.0.1', () => resolve()))
    try {
      const none = await otactl('discover', '--address', `127.0.0.1:${silent.address().port}`, '--wait', '300')
      expect(none).toMatchObject({ code: 2, stdout: '' })
      expect(none.stderr).toContain(`No DoIP vehicle answered at 127.0.0.1:${silent.address().port}`)
    } finally {
      silent.close()
    }
    const bad = await otactl('discover', '--address', 'host:99999')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('--address takes HOST[:PORT]')
  })
})
