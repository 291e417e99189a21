import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fromHex, toHex } from '../../src/shared/uds'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork, type EcuNetwork } from '../../src/vehicle/ecu/network'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { tempDir } from '../support/temp-dir'
import { otactl, startOtactl } from './support'

// otactl flash of a local image (development) as a process: progress with speed and ETA as plain
// lines when stderr is not a terminal, F195 read back, and Ctrl-C leaving the old software running.
describe('otactl flash', () => {
  const data = tempDir('otactl-flash')
  let entity: DoipEntity
  let network: EcuNetwork
  let doip: string

  beforeAll(async () => {
    network = createEcuNetwork({ config: structuredClone(vehicleSpec(seeded(12), 0, ['model_a'], 2).config), settings: { eraseMs: 20 } })
    entity = await startDoipEntity({ network, tcpPort: 0, announce: false })
    doip = `127.0.0.1:${entity.tcpPort}`
  })
  afterAll(async () => {
    await entity?.close()
    data.remove()
  })

  const f195 = async (address: number) => toHex((await network.server(address)!.request(fromHex('22 F1 95')))!.subarray(3))
  const ascii = (text: string) => Buffer.from(text).toString('hex').toUpperCase()

  it('flashes an image file with progress lines, then reads the new version back', async () => {
    const image = join(data.dir, 'dev.bin')
    writeFileSync(image, randomBytes(1024 * 1024))
    const run = await otactl('flash', '--doip', doip, '--ecu', '0x1001', '--version', '2.0.0', image)
    expect(run.code).toBe(0)
    expect(run.stdout).toBe('0x1001: 1.0.0 → 2.0.0; F195 reads 2.0.0 after the reset.\n' + run.stdout.split('\n')[1] + '\n')
    expect(run.stdout.split('\n')[1]).toMatch(/^1\.05 MB in 257 blocks, [\d.]+ s \([\d.,]+ [kMG]?B\/s\)\.$/)
    const lines = run.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/^Development flash of .+dev\.bin \(1\.05 MB, sha256 [0-9a-f]{16}…\) as version 2\.0\.0: no signature vouches for this image\.$/)
    const steps = lines.slice(1).map((l) => l.split(' ')[1])
    expect([...new Set(steps)]).toEqual(['prepare', 'session', 'unlock', 'erase', 'download', 'transfer', 'exit', 'check', 'reset', 'readBack'])
    expect(lines).toContainEqual(expect.stringMatching(/^0x1001 transfer 100% {2}1\.05 MB of 1\.05 MB {2}[\d.,]+ [kMG]?B\/s {2}ETA 0\.0 s$/))
    expect(await f195(0x1001)).toBe(ascii('2.0.0'))
    const readBack = await otactl('diag', '--doip', doip, '--ecu', '0x1001', 'read-did', 'F195')
    expect(readBack.stdout).toBe('F195  System supplier ECU software version: 2.0.0\n')
  })

  it('aborts on Ctrl-C with exit 130: the old version keeps running and the ECU is back in its default session', async () => {
    const image = join(data.dir, 'big.bin')
    writeFileSync(image, randomBytes(6 * 1024 * 1024))
    const run = startOtactl(['flash', '--doip', doip, '--ecu', '0x1002', '--version', '3.0.0', image])
    await expect.poll(run.stderr, { timeout: 10_000, interval: 50 }).toContain('0x1002 transfer')
    run.child.kill('SIGINT')
    const { code, stderr } = await run.done
    expect(code).toBe(130)
    expect(stderr).toContain('Aborting the flash: returning the ECU to its default session')
    expect(stderr).toMatch(/otactl flash: the flash of 0x1002 was aborted during transfer after \d+ of 6291456 bytes/)
    expect(await f195(0x1002)).toBe(ascii('1.0.0'))
    // F186 session 01, F1A1 programming status 01 (incomplete).
    expect(toHex((await network.server(0x1002)!.request(fromHex('22 F1 86')))!)).toBe('62F18601')
    expect(toHex((await network.server(0x1002)!.request(fromHex('22 F1 A1')))!)).toBe('62F1A101')
  })
})
