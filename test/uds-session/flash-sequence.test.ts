import { randomBytes } from 'node:crypto'
import { crc32 as zlibCrc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32, FlashAbortedError, FlashError, runFlashSequence, type FlashProgress, type UdsRequester } from '../../src/shared/uds-client'
import { demoXorRotateKey } from '../../src/shared/uds'
import { ask, testVehicle } from '../vehicle/harness'

/** The gateway's way to reach its ECUs: straight to the UDS server, no network in between. */
const local = (network: ReturnType<typeof testVehicle>['network']): UdsRequester => ({
  request: async (target, bytes) => network.server(target)!.request(bytes)
})

// The shared flash sequence against simulated ECUs on a manual clock: the order of services,
// progress, the new version read back, an abort that leaves the ECU recoverable, refusals by name.
describe('the flash sequence', () => {
  it('computes CRC-32 as zlib does', () => {
    for (const size of [0, 1, 7, 4096, 100_003]) {
      const bytes = new Uint8Array(randomBytes(size))
      expect(crc32(bytes)).toBe(zlibCrc32(bytes) >>> 0)
    }
  })

  it('flashes an image at the ECU block length and reads back the new version', async () => {
    const { network, config } = testVehicle()
    const image = new Uint8Array(randomBytes(50_000))
    const progress: FlashProgress[] = []
    const outcome = await runFlashSequence(local(network), 0x1002, image, {
      version: '2.0.0',
      keyAlgorithm: demoXorRotateKey,
      onProgress: (p) => progress.push(p),
      progressIntervalMs: 0
    })
    expect(outcome).toMatchObject({ versionBefore: '1.0.0', versionAfter: '2.0.0', bytes: 50_000, blocks: Math.ceil(50_000 / 4094), maxNumberOfBlockLength: 4096 })
    expect([...new Set(progress.map((p) => p.step))]).toEqual(['prepare', 'session', 'unlock', 'erase', 'download', 'transfer', 'exit', 'check', 'reset', 'readBack'])
    const transfer = progress.filter((p) => p.step === 'transfer')
    expect(transfer.at(-1)).toMatchObject({ bytesSent: 50_000, bytesTotal: 50_000, blocksSent: 13, etaSeconds: 0 })
    expect(config.zonalGateways.flatMap((z) => z.ecus).find((e) => e.logicalAddress === 0x1002)?.software).toBe('2.0.0')
  })

  it('wraps the block counter FF → 00', async () => {
    const { network } = testVehicle({ maxNumberOfBlockLength: 18 })
    const image = new Uint8Array(randomBytes(16 * 300))
    const outcome = await runFlashSequence(local(network), 0x1001, image, { version: '1.1.0', keyAlgorithm: demoXorRotateKey })
    expect(outcome).toMatchObject({ blocks: 300, versionAfter: '1.1.0' })
  })

  it('aborts cleanly: the old version runs, F1A1 says incomplete, and a new flash succeeds', async () => {
    const { network, ecu } = testVehicle()
    const image = new Uint8Array(randomBytes(40_000))
    const controller = new AbortController()
    const flash = runFlashSequence(local(network), 0x1001, image, {
      version: '3.0.0',
      keyAlgorithm: demoXorRotateKey,
      progressIntervalMs: 0,
      signal: controller.signal,
      onProgress: (p) => p.blocksSent === 4 && controller.abort()
    })
    await expect(flash).rejects.toBeInstanceOf(FlashAbortedError)
    await expect(flash).rejects.toThrow(/aborted after 16376 of 40000 bytes/)
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 01')
    expect(await ask(ecu, '22 F1 95')).toBe('62 F1 95 31 2E 30 2E 30')
    expect(await ask(ecu, '22 F1 A1')).toBe('62 F1 A1 01')
    expect(await runFlashSequence(local(network), 0x1001, image, { version: '3.0.0', keyAlgorithm: demoXorRotateKey })).toMatchObject({ versionAfter: '3.0.0' })
    expect(await ask(ecu, '22 F1 A1')).toBe('62 F1 A1 00')
  })

  it('names the step and the NRC when the ECU refuses', async () => {
    const { network } = testVehicle()
    const wrongKey = () => Uint8Array.of(0, 0, 0, 0)
    const flash = runFlashSequence(local(network), 0x1001, new Uint8Array(100), { version: '1.2.0', keyAlgorithm: wrongKey })
    await expect(flash).rejects.toBeInstanceOf(FlashError)
    await expect(flash).rejects.toMatchObject({ step: 'unlock', message: expect.stringContaining('invalidKey (0x35)') })
  })
})
