import { randomBytes } from 'node:crypto'
import { crc32 } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeUdsResponse, encodeUdsRequest, fromHex, eraseMemoryOption, nextBlockSequenceCounter, toHex, transferDataChunkSize } from '../../shared/uds'
import { ask, testVehicle, unlock } from '../../../test/vehicle/harness'
import type { EcuServer } from './server'

const ascii = (text: string) =>
  toHex(
    Uint8Array.from(text, (c) => c.charCodeAt(0)),
    ' '
  )
const hex = (bytes: Uint8Array) => toHex(bytes, ' ')
const crcHex = (image: Uint8Array) => {
  const bytes = Buffer.alloc(4)
  bytes.writeUInt32BE(crc32(image) >>> 0)
  return hex(bytes)
}

/** The OEM-typical sequence up to the download request; answers maxNumberOfBlockLength. */
async function prepare(ecu: EcuServer, image: Uint8Array, version: string) {
  expect(await ask(ecu, '10 03')).toMatch(/^50 03/)
  expect(await ask(ecu, '85 82')).toBe('')
  expect(await ask(ecu, '28 81 01')).toBe('')
  await unlock(ecu, '02')
  expect(await ask(ecu, `2E F1 A0 ${ascii(version)}`)).toBe('6E F1 A0')
  expect(await ask(ecu, '2E F1 5A 00 00 00 00 00 01')).toBe('6E F1 5A')
  expect(await ask(ecu, hex(encodeUdsRequest({ service: 'routineControl', control: 1, routineId: 0xff00, option: eraseMemoryOption({ address: 0, size: image.length }) })))).toBe(
    '71 01 FF 00 00'
  )
  const answer = decodeUdsResponse(fromHex(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0, size: image.length })))))
  if (answer.service !== 'requestDownload') throw new Error(`download refused: ${JSON.stringify(answer)}`)
  return answer.maxNumberOfBlockLength
}

/** Sends the image's blocks in order (only the first `blocks` of them when given). */
async function transfer(ecu: EcuServer, image: Uint8Array, maxBlock: number, blocks = Infinity) {
  const chunk = transferDataChunkSize(maxBlock)
  let counter = 0
  for (let offset = 0, sent = 0; offset < image.length && sent < blocks; offset += chunk, sent++) {
    counter = nextBlockSequenceCounter(counter)
    const answer = await ask(ecu, hex(encodeUdsRequest({ service: 'transferData', blockSequenceCounter: counter, data: image.subarray(offset, offset + chunk) })))
    expect(answer).toBe(`76 ${hex(Uint8Array.of(counter))}`)
  }
}

describe('flashing a simulated ECU over UDS', () => {
  it('programs, checks and activates an image: F195 and the version report show the new version', async () => {
    const changed: string[] = []
    const { ecu, config } = testVehicle({ maxNumberOfBlockLength: 0x0102 }, (name, version) => changed.push(`${name} ${version}`))
    const image = new Uint8Array(randomBytes(70_000))
    const maxBlock = await prepare(ecu, image, '1.1.0')
    expect(maxBlock).toBe(0x0102)
    // 274 blocks of 256 bytes: the counter wraps FF → 00.
    await transfer(ecu, image, maxBlock)
    expect(await ask(ecu, `37 ${crcHex(image)}`)).toBe(`77 ${crcHex(image)}`)
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 00')
    expect(await ask(ecu, '22 F1 A1 F1 95')).toBe(`62 F1 A1 02 F1 95 ${ascii('1.0.0')}`)
    expect(changed).toEqual([])
    expect(await ask(ecu, '11 01')).toBe('51 01')
    expect(await ask(ecu, '22 F1 95')).toBe(`62 F1 95 ${ascii('1.1.0')}`)
    expect(await ask(ecu, '22 F1 A1 F1 86')).toBe('62 F1 A1 00 F1 86 01')
    expect(changed).toEqual(['ECU_001 1.1.0'])
    expect(config.zonalGateways[0]!.ecus[0]!.software).toBe('1.1.0')
    expect(await ask(ecu, '22 F1 99')).toBe('62 F1 99 20 25 01 15')
  })

  it('checks the block sequence: a wrong counter is refused, a repeated last block accepted once', async () => {
    const { ecu } = testVehicle()
    const image = new Uint8Array(randomBytes(10_000))
    const maxBlock = await prepare(ecu, image, '1.2.0')
    const chunk = transferDataChunkSize(maxBlock)
    const block = (counter: number, offset: number, length = chunk) =>
      hex(encodeUdsRequest({ service: 'transferData', blockSequenceCounter: counter, data: image.subarray(offset, offset + length) }))
    expect(await ask(ecu, block(2, 0))).toBe('7F 36 73')
    expect(await ask(ecu, block(1, 0))).toBe('76 01')
    expect(await ask(ecu, block(1, 0))).toBe('76 01')
    expect(await ask(ecu, block(3, chunk))).toBe('7F 36 73')
    expect(await ask(ecu, `36 02 ${hex(new Uint8Array(chunk + 1))}`)).toBe('7F 36 13')
    expect(await ask(ecu, '37')).toBe('7F 37 24')
    expect(await ask(ecu, block(2, chunk))).toBe('76 02')
    expect(await ask(ecu, block(3, 2 * chunk))).toBe('76 03')
    expect(await ask(ecu, '36 04 00')).toBe('7F 36 71')
    expect(await ask(ecu, '37 00 00')).toBe('7F 37 13')
    // The repeat was not written twice: the CRC of what arrived is the image's.
    expect(await ask(ecu, '37')).toBe(`77 ${crcHex(image)}`)
    expect(await ask(ecu, '36 04 00')).toBe('7F 36 24')
    expect(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0x0400_0000, size: 16 })))).toBe('7F 34 31')
    expect(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0x10_0000, size: 16 })))).toBe('7F 34 70')
    expect(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0, size: 16 })))).toBe('74 20 10 00')
    expect(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0, size: 16 })))).toBe('7F 34 22')
    expect(await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', dataFormatIdentifier: 0x11, address: 0, size: 16 })))).toBe('7F 34 31')
  })

  it('fails the dependency check without a matching CRC or a declared version, and a wrong CRC at transfer exit', async () => {
    const { ecu } = testVehicle()
    const image = new Uint8Array(randomBytes(5_000))
    const other = new Uint8Array(image).fill(7, 0, 1)
    let maxBlock = await prepare(ecu, image, '1.3.0')
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 01')
    await transfer(ecu, image, maxBlock)
    expect(await ask(ecu, '37')).toBe(`77 ${crcHex(image)}`)
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 03')
    expect(await ask(ecu, `31 01 FF 01 ${crcHex(other)}`)).toBe('71 01 FF 01 02')
    expect(await ask(ecu, `31 01 FF 01 ${crcHex(image)}`)).toBe('71 01 FF 01 00')

    maxBlock = await prepare(ecu, image, '1.3.0')
    await transfer(ecu, image, maxBlock)
    expect(await ask(ecu, `37 ${crcHex(other)}`)).toBe('7F 37 72')
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 01')

    // Without a declared version (F1A0), the check says so; a reset forgets the declared one.
    maxBlock = await prepare(ecu, image, '1.3.0')
    expect(await ask(ecu, '11 01')).toBe('51 01')
    await unlock(ecu, '02')
    await ask(ecu, hex(encodeUdsRequest({ service: 'routineControl', control: 1, routineId: 0xff00, option: new Uint8Array() })))
    await ask(ecu, hex(encodeUdsRequest({ service: 'requestDownload', address: 0, size: image.length })))
    await transfer(ecu, image, maxBlock)
    expect(await ask(ecu, `37 ${crcHex(image)}`)).toBe(`77 ${crcHex(image)}`)
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 04')
    expect(await ask(ecu, '11 01')).toBe('51 01')
    expect(await ask(ecu, '22 F1 95 F1 A1')).toBe(`62 F1 95 ${ascii('1.0.0')} F1 A1 01`)
  })

  it('keeps the old software after a flash that stopped half-way, and recovers with a flash from the start', async () => {
    const { ecu, clock } = testVehicle()
    const image = new Uint8Array(randomBytes(40_000))
    const maxBlock = await prepare(ecu, image, '2.0.0')
    await transfer(ecu, image, maxBlock, 4)
    // The tester vanished: no request for longer than S3; the ECU is back in the default session.
    clock.advance(6_000)
    expect(await ask(ecu, '22 F1 86 F1 95 F1 A1')).toBe(`62 F1 86 01 F1 95 ${ascii('1.0.0')} F1 A1 01`)
    expect(await ask(ecu, '11 01')).toBe('51 01')
    expect(await ask(ecu, '22 F1 95 F1 A1')).toBe(`62 F1 95 ${ascii('1.0.0')} F1 A1 01`)

    const again = await prepare(ecu, image, '2.0.0')
    await transfer(ecu, image, again)
    expect(await ask(ecu, `37 ${crcHex(image)}`)).toBe(`77 ${crcHex(image)}`)
    expect(await ask(ecu, '31 01 FF 01')).toBe('71 01 FF 01 00')
    expect(await ask(ecu, '11 01')).toBe('51 01')
    expect(await ask(ecu, '22 F1 95 F1 A1')).toBe(`62 F1 95 ${ascii('2.0.0')} F1 A1 00`)
  })
})
