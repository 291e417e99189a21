import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DiagError } from '../../src/core/uds-session/errors'
import { DoipTransport } from '../../src/core/uds-session/doip/doip-transport'
import type { FlashRelease } from '../../src/core/uds-session/flash-checks'
import { createDiagSession, type DiagSession } from '../../src/core/uds-session/session'
import { FlashAbortedError, type FlashProgress } from '../../src/shared/uds-client'
import { startDoipEntity, type DoipEntity } from '../../src/vehicle/doip/entity'
import { createEcuNetwork } from '../../src/vehicle/ecu/network'
import { hardwareFor, vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'

const IMAGE = new Uint8Array(randomBytes(1024 * 1024))
const release = (over: Partial<FlashRelease> = {}): FlashRelease => ({
  id: 'rel_00000000000000aa',
  model: 'model_a',
  ecu: 'ECU_001',
  version: '2.0.0',
  hardware: [hardwareFor('model_a', 1)],
  ...over
})

// A workshop flash over DoIP through the core's session: 1 MB at the ECU's block length with
// progress, then F195; an abort midway leaves the ECU recoverable; images for another vehicle,
// ECU or hardware are refused before anything is written.
describe('flashing over DoIP', () => {
  let entity: DoipEntity
  let session: DiagSession
  let vin: string

  beforeAll(async () => {
    const config = structuredClone(vehicleSpec(seeded(4), 0, ['model_a'], 2).config)
    vin = config.vin
    entity = await startDoipEntity({ network: createEcuNetwork({ config, settings: { eraseMs: 50 } }), tcpPort: 0, announce: false })
    session = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: entity.tcpPort }))
  })
  afterAll(async () => {
    await session?.close()
    await entity?.close()
  })

  const expected = () => ({ vin, model: 'model_a', ecu: 'ECU_001' })

  it('flashes 1 MB at maxNumberOfBlockLength with progress; F195 then shows the new version', async () => {
    const progress: FlashProgress[] = []
    const outcome = await session.flash(0x1001, { kind: 'image', image: IMAGE, release: release(), expected: expected() }, { onProgress: (p) => progress.push(p) })
    expect(outcome).toMatchObject({ versionBefore: '1.0.0', versionAfter: '2.0.0', bytes: IMAGE.length, blocks: Math.ceil(IMAGE.length / 4094), maxNumberOfBlockLength: 4096 })
    const transfer = progress.filter((p) => p.step === 'transfer')
    expect(transfer.at(-1)).toMatchObject({ bytesSent: IMAGE.length, bytesTotal: IMAGE.length, etaSeconds: 0 })
    expect(transfer.at(-1)!.bytesPerSecond).toBeGreaterThan(0)
    expect((await session.readDids(0x1001, [0xf195]))[0]?.value).toBe('2.0.0')
  })

  it('aborts midway, leaving the old version running and F1A1 incomplete; a new flash succeeds', async () => {
    const controller = new AbortController()
    const flash = session.flash(
      0x1001,
      { kind: 'image', image: IMAGE, release: release({ version: '2.1.0' }), expected: expected() },
      {
        signal: controller.signal,
        onProgress: (p) => p.bytesSent > IMAGE.length / 3 && controller.abort()
      }
    )
    await expect(flash).rejects.toBeInstanceOf(FlashAbortedError)
    const status = await session.readDids(0x1001, [0xf186, 0xf195])
    expect(status.map((r) => r.value)).toEqual([1, '2.0.0'])
    expect((await session.request(0x1001, Uint8Array.of(0x22, 0xf1, 0xa1))).response).toEqual(Uint8Array.of(0x62, 0xf1, 0xa1, 0x01))
    expect(await session.flash(0x1001, { kind: 'image', image: IMAGE, release: release({ version: '2.1.0' }), expected: expected() })).toMatchObject({
      versionBefore: '2.0.0',
      versionAfter: '2.1.0'
    })
  })

  it('refuses an image for another ECU, hardware, vehicle or model, naming what does not match', async () => {
    const image = new Uint8Array(10)
    const refusal = (r: FlashRelease, e = expected(), target = 0x1001) =>
      session.flash(target, { kind: 'image', image, release: r, expected: e }).then(
        () => 'flashed',
        (err: DiagError) => `${err.failure.kind}: ${err.message}`
      )
    expect(await refusal(release({ ecu: 'ECU_002' }))).toBe('refused: Release rel_00000000000000aa is for ECU_002, not ECU_001 at 0x1001.')
    expect(await refusal(release(), { ...expected(), ecu: 'ECU_002' }, 0x1002)).toBe('refused: Release rel_00000000000000aa is for ECU_001, not ECU_002 at 0x1002.')
    expect(await refusal(release({ hardware: ['model_a-ecu001-hw2'] }))).toBe(
      `refused: ECU_001 at 0x1001 reports hardware ${hardwareFor('model_a', 1)}; release rel_00000000000000aa fits model_a-ecu001-hw2.`
    )
    expect(await refusal(release(), { ...expected(), vin: 'SMV00000000000000' })).toBe(
      `refused: ECU_001 at 0x1001 reports VIN ${vin}; the image was prepared for SMV00000000000000.`
    )
    expect(await refusal(release({ model: 'model_b' }))).toBe(`refused: Release rel_00000000000000aa is for model model_b; vehicle ${vin} is a model_a.`)
    expect((await session.readDids(0x1001, [0xf195]))[0]?.value).toBe('2.1.0')
  })
})

// A bench ECU on a fast link announces blocks past 64 KiB: 0x34 answers a 3-byte length, every
// DoIP message then spans several TCP reads, and the entity takes them (entity status says so).
describe('flashing over DoIP with 64 KiB blocks', () => {
  it('flashes 1 MB in blocks of 65534 data bytes; the image arrives whole (CRC-32) and F195 shows the new version', async () => {
    const config = structuredClone(vehicleSpec(seeded(5), 0, ['model_a'], 1).config)
    const entity = await startDoipEntity({ network: createEcuNetwork({ config, settings: { eraseMs: 10, maxNumberOfBlockLength: 0x10000 } }), tcpPort: 0, announce: false })
    const session = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: entity.tcpPort }))
    try {
      expect(entity.info.maxDataSize).toBe(4 + 0x10000)
      const outcome = await session.flash(0x1001, { kind: 'image', image: IMAGE, release: release(), expected: { vin: config.vin, model: 'model_a', ecu: 'ECU_001' } })
      expect(outcome).toMatchObject({ versionAfter: '2.0.0', bytes: IMAGE.length, blocks: Math.ceil(IMAGE.length / 65534), maxNumberOfBlockLength: 0x10000 })
    } finally {
      await session.close()
      await entity.close()
    }
  })
})
