import { describe, expect, it } from 'vitest'
import { decodeUdsResponse, fromHex, toHex } from '../../shared/uds'
import { ask, frames, testVehicle, unlock } from '../../../test/vehicle/harness'

const ascii = (text: string) =>
  toHex(
    Uint8Array.from(text, (c) => c.charCodeAt(0)),
    ' '
  )

describe('ECU UDS server: sessions, reset, tester present', () => {
  it('enters a session with its timing, refuses unknown sessions and bad lengths, and honours the suppress bit', async () => {
    const { ecu } = testVehicle()
    expect(await ask(ecu, '10 03')).toBe('50 03 00 32 01 F4')
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 03')
    expect(await ask(ecu, '10 04')).toBe('7F 10 12')
    expect(await ask(ecu, '10')).toBe('7F 10 13')
    expect(await ask(ecu, '10 03 00')).toBe('7F 10 13')
    expect(await ask(ecu, '10 82')).toBe('')
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 02')
  })

  it('falls back to the default session after S3 without a request; tester present keeps the session', async () => {
    const { ecu, clock } = testVehicle()
    await unlock(ecu)
    clock.advance(4000)
    expect(await ask(ecu, '3E 80')).toBe('')
    clock.advance(4000)
    expect(await ask(ecu, '3E 00')).toBe('7E 00')
    clock.advance(4000)
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 03')
    clock.advance(5001)
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 01')
    // Back in default, the ECU is locked again: security services are not even available.
    expect(await ask(ecu, '27 01')).toBe('7F 27 7F')
    expect(await ask(ecu, '3E 01')).toBe('7F 3E 12')
  })

  it('resets after answering: default session, security locked', async () => {
    const { ecu } = testVehicle()
    await unlock(ecu)
    expect(await ask(ecu, '11 01')).toBe('51 01')
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 01')
    await ask(ecu, '10 03')
    expect(await ask(ecu, '2E F1 98 41 42')).toBe('7F 2E 33')
    expect(await ask(ecu, '11 04')).toBe('7F 11 12')
    expect(await ask(ecu, '11 83')).toBe('')
    expect(await ask(ecu, '22 F1 86')).toBe('62 F1 86 01')
  })

  it('answers services it does not offer, and services outside their session, with the right NRC', async () => {
    const { ecu } = testVehicle()
    expect(await ask(ecu, '23 14 00 10 10')).toBe('7F 23 11')
    expect(await ask(ecu, '85 02')).toBe('7F 85 7F')
    expect(await ask(ecu, '34 00 44 00 00 00 00 00 00 10 00')).toBe('7F 34 7F')
    await ask(ecu, '10 02')
    expect(await ask(ecu, '14 FF FF FF')).toBe('7F 14 7F')
    expect(await ask(ecu, '19 02 FF')).toBe('7F 19 7F')
    expect(await ask(ecu, '34 00 44 00 00 00 00 00 00 10 00')).toBe('7F 34 33')
    expect(await ask(ecu, '36 01 00')).toBe('7F 36 33')
  })

  it('leaves out the NRCs ISO 14229-1 silences for functionally addressed requests', async () => {
    const { ecu } = testVehicle()
    const functional = async (hex: string) => {
      const response = await ecu.request(fromHex(hex), { functional: true })
      return response ? toHex(response, ' ') : ''
    }
    expect(await functional('22 12 34')).toBe('')
    expect(await functional('10 04')).toBe('')
    expect(await functional('23 00')).toBe('')
    expect(await functional('10')).toBe('7F 10 13')
    expect(await functional('22 F1 86')).toBe('62 F1 86 01')
  })
})

describe('ECU UDS server: data identifiers', () => {
  it('reads identification DIDs, several at once, leaving out unknown ones', async () => {
    const { ecu, config } = testVehicle()
    const node = config.zonalGateways[0]!.ecus[0]!
    expect(await ask(ecu, '22 F1 90')).toBe(`62 F1 90 ${ascii(config.vin)}`)
    expect(await ask(ecu, '22 F1 95')).toBe(`62 F1 95 ${ascii(node.software)}`)
    expect(await ask(ecu, '22 F1 91')).toBe(`62 F1 91 ${ascii(node.hardware)}`)
    expect(await ask(ecu, '22 F1 97')).toBe(`62 F1 97 ${ascii('ECU_001 behind ZGW_01')}`)
    expect(await ask(ecu, '22 F1 86 12 34 F1 90')).toBe(`62 F1 86 01 F1 90 ${ascii(config.vin)}`)
    expect(await ask(ecu, '22 F1 8C')).toBe(`62 F1 8C ${ascii(`SN${config.vin.slice(-6)}1001`)}`)
    expect(await ask(ecu, '22 F1 87')).toBe(`62 F1 87 ${ascii('MODEL_A-ECU_001')}`)
    const odometer = decodeUdsResponse(fromHex(await ask(ecu, '22 01 01')))
    expect(odometer).toMatchObject({ service: 'readDataByIdentifier', records: [{ did: 0x0101 }] })
    expect(await ask(ecu, '22 12 34')).toBe('7F 22 31')
    expect(await ask(ecu, '22 F1')).toBe('7F 22 13')
    expect(await ask(ecu, '22')).toBe('7F 22 13')
  })

  it('writes DIDs only in their session, after security access, with valid data', async () => {
    const { ecu } = testVehicle()
    expect(await ask(ecu, `2E F1 98 ${ascii('WS-42')}`)).toBe('7F 2E 7F')
    await ask(ecu, '10 03')
    expect(await ask(ecu, `2E F1 98 ${ascii('WS-42')}`)).toBe('7F 2E 33')
    await unlock(ecu)
    expect(await ask(ecu, `2E F1 98 ${ascii('WS-42')}`)).toBe('6E F1 98')
    expect(await ask(ecu, '22 F1 98')).toBe(`62 F1 98 ${ascii('WS-42')}`)
    expect(await ask(ecu, `2E F1 98 ${ascii('X'.repeat(21))}`)).toBe('7F 2E 13')
    expect(await ask(ecu, '2E F1 99 20 25 1A 01')).toBe('7F 2E 31')
    expect(await ask(ecu, '2E F1 99 20 25 01 31')).toBe('6E F1 99')
    expect(await ask(ecu, '22 F1 99')).toBe('62 F1 99 20 25 01 31')
    expect(await ask(ecu, `2E F1 90 ${ascii('WVWZZZ1JZXW000001')}`)).toBe('7F 2E 31')
    // The version of an image to program, and the fingerprint, are for the programming session.
    expect(await ask(ecu, `2E F1 A0 ${ascii('2.0.0')}`)).toBe('7F 2E 31')
    await unlock(ecu, '02')
    expect(await ask(ecu, `2E F1 A0 ${ascii('2.0')}`)).toBe('7F 2E 13')
    expect(await ask(ecu, `2E F1 A0 ${ascii('two.0.0')}`)).toBe('7F 2E 31')
    expect(await ask(ecu, `2E F1 A0 ${ascii('2.0.0')}`)).toBe('6E F1 A0')
    expect(await ask(ecu, '2E F1 5A 01 02 03 04')).toBe('6E F1 5A')
    expect(await ask(ecu, '22 F1 A0 F1 5A')).toBe(`62 F1 A0 ${ascii('2.0.0')} F1 5A 01 02 03 04`)
  })
})

describe('ECU UDS server: DTC services', () => {
  it('counts, lists and reads the records of its DTCs; clears them', async () => {
    const { ecu } = testVehicle()
    const supported = decodeUdsResponse(fromHex(await ask(ecu, '19 0A')))
    if (supported.service !== 'readDtcInformation' || supported.report !== 0x0a) throw new Error('not a 19 0A response')
    expect(supported.statusAvailabilityMask).toBe(0xff)
    expect(supported.dtcs.length).toBeGreaterThanOrEqual(2)
    // Six operation cycles of history: every monitor has run, so none reports "not completed since clear".
    for (const { status } of supported.dtcs) expect(status & 0x10).toBe(0)

    const failedSinceClear = supported.dtcs.filter((d) => d.status & 0x20)
    expect(await ask(ecu, '19 01 20')).toBe(`59 01 FF 01 00 ${failedSinceClear.length.toString(16).padStart(2, '0').toUpperCase()}`)
    const byMask = decodeUdsResponse(fromHex(await ask(ecu, '19 02 20')))
    expect(byMask).toMatchObject({ report: 0x02, dtcs: failedSinceClear })

    // Seed 1's ECU_001 has a DTC that failed in its history.
    expect(failedSinceClear.length).toBeGreaterThan(0)
    const failed = failedSinceClear[0]!
    {
      const dtc = toHex(Uint8Array.of(failed.dtc >> 16, (failed.dtc >> 8) & 0xff, failed.dtc & 0xff), ' ')
      const snapshot = decodeUdsResponse(fromHex(await ask(ecu, `19 04 ${dtc} FF`)), {
        didCatalog: new Map([
          [0x0101, { id: 0x0101, name: 'Odometer', type: 'uint', length: 3 }],
          [0x0102, { id: 0x0102, name: 'Battery', type: 'uint', length: 2 }]
        ])
      })
      expect(snapshot).toMatchObject({ report: 0x04, dtc: failed.dtc, snapshots: [{ recordNumber: 1 }, { recordNumber: 2 }] })
      const extended = decodeUdsResponse(fromHex(await ask(ecu, `19 06 ${dtc} 01`)))
      expect(extended).toMatchObject({ report: 0x06, dtc: failed.dtc, extendedData: [{ recordNumber: 1 }] })
      expect(extended.service === 'readDtcInformation' && extended.report === 0x06 && extended.extendedData[0]!.data[0]).toBeGreaterThan(0)
      expect(await ask(ecu, `19 06 ${dtc} 07`)).toBe('7F 19 31')
    }
    expect(await ask(ecu, '19 04 00 00 01 FF')).toBe('7F 19 31')
    expect(await ask(ecu, '19 03')).toBe('7F 19 12')
    expect(await ask(ecu, '19 02')).toBe('7F 19 13')

    expect(await ask(ecu, '14 12 34 56')).toBe('7F 14 31')
    expect(await ask(ecu, '14 FF FF')).toBe('7F 14 13')
    expect(await ask(ecu, '14 FF FF FF')).toBe('54')
    const cleared = decodeUdsResponse(fromHex(await ask(ecu, '19 0A')))
    if (cleared.service !== 'readDtcInformation' || cleared.report !== 0x0a) throw new Error('not a 19 0A response')
    for (const { status } of cleared.dtcs) expect(status).toBe(0x50)
  })

  it('stops and restarts DTC recording (85) and accepts communication control (28) outside the default session', async () => {
    const { ecu } = testVehicle()
    await ask(ecu, '10 03')
    expect(await ask(ecu, '85 02')).toBe('C5 02')
    expect(await ask(ecu, '85 81')).toBe('')
    expect(await ask(ecu, '85 03')).toBe('7F 85 12')
    expect(await ask(ecu, '28 01 01')).toBe('68 01')
    expect(await ask(ecu, '28 81 01')).toBe('')
    expect(await ask(ecu, '28 07 01')).toBe('7F 28 12')
    expect(await ask(ecu, '28 00 00')).toBe('7F 28 31')
  })
})

describe('ECU UDS server: routines', () => {
  it('erases in the programming session after security access, answering 7F 31 78 first', async () => {
    const { ecu, clock } = testVehicle()
    await ask(ecu, '10 03')
    expect(await ask(ecu, '31 01 FF 00')).toBe('7F 31 31')
    await ask(ecu, '10 02')
    expect(await ask(ecu, '31 01 FF 00')).toBe('7F 31 33')
    await unlock(ecu, '02')
    const started = clock.now()
    expect(await frames(ecu, '31 01 FF 00 44 00 00 00 00 00 01 00 00')).toEqual(['7F 31 78', '71 01 FF 00 00'])
    expect(clock.now() - started).toBe(300)
    expect(await ask(ecu, '22 F1 A1')).toBe('62 F1 A1 01')
    expect(await ask(ecu, '31 03 FF 00')).toBe('71 03 FF 00 00')
    expect(await ask(ecu, '31 02 FF 00')).toBe('7F 31 12')
    expect(await ask(ecu, '31 03 FF 01')).toBe('7F 31 24')
    expect(await ask(ecu, '31 01 12 34')).toBe('7F 31 31')
    expect(await ask(ecu, '31 01 FF 00 44 FF 00 00 00 00 00 00 10')).toBe('7F 31 31')
    expect(await ask(ecu, '31 01 FF')).toBe('7F 31 13')
    // Suppressed, yet answered: a tester that saw 7F 31 78 waits for the final response.
    expect(await frames(ecu, '31 81 FF 00')).toEqual(['7F 31 78', '71 01 FF 00 00'])
  })
})
