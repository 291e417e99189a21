import { describe, expect, it } from 'vitest'
import { UdsDecodeError } from '../errors'
import { NRC } from '../nrc'
import { ALL_RECORDS, DTC_REPORT, readDtcInformation, type ReadDtcInformationResponse } from './read-dtc-information'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))
const VIN = hex('57 30 4C 30 30 30 30 35 31 54 32 31 32 33 34 35 36') // "W0L000051T2123456"

describe('0x19 ReadDTCInformation', () => {
  it('0x01 counts the DTCs matching a status mask', () => {
    expect(readDtcInformation.encodeRequest({ report: DTC_REPORT.numberOfDtcByStatusMask, statusMask: 0x08 })).toEqual(hex('19 01 08'))
    expect(readDtcInformation.decodeRequest(hex('19 01 08'))).toEqual({ report: 1, statusMask: 0x08, suppressPositiveResponse: false })
    // availability mask FF, format 01 (ISO 14229-1 DTC format), count 0x0002
    const response = hex('59 01 FF 01 00 02')
    expect(readDtcInformation.decodeResponse(response)).toEqual({ report: 1, statusAvailabilityMask: 0xff, formatIdentifier: 1, count: 2 })
    expect(readDtcInformation.encodeResponse({ report: 1, statusAvailabilityMask: 0xff, formatIdentifier: 1, count: 2 })).toEqual(response)
  })

  it('0x02 lists DTCs and their status bytes', () => {
    expect(readDtcInformation.encodeRequest({ report: DTC_REPORT.dtcByStatusMask, statusMask: 0x84 })).toEqual(hex('19 02 84'))
    const response = hex('59 02 FF 01 23 45 09 C1 23 00 2F')
    const decoded: ReadDtcInformationResponse = {
      report: 2,
      statusAvailabilityMask: 0xff,
      dtcs: [
        { dtc: 0x012345, status: 0x09 },
        { dtc: 0xc12300, status: 0x2f }
      ]
    }
    expect(readDtcInformation.decodeResponse(response)).toEqual(decoded)
    expect(readDtcInformation.encodeResponse(decoded)).toEqual(response)
    expect(readDtcInformation.decodeResponse(hex('59 02 FF'))).toEqual({ report: 2, statusAvailabilityMask: 0xff, dtcs: [] })
  })

  it('0x02 rejects a DTC record cut short', () => {
    expect(() => readDtcInformation.decodeResponse(hex('59 02 FF 01 23 45'))).toThrow('0x19 response: DTC records are 4 bytes each, 3 bytes left')
  })

  it('0x04 splits snapshot records with the DID catalog', () => {
    expect(readDtcInformation.encodeRequest({ report: DTC_REPORT.snapshotRecordByDtcNumber, dtc: 0x012345, recordNumber: 1 })).toEqual(hex('19 04 01 23 45 01'))
    // DTC 012345 status 24, record 01 with 2 DIDs: F186 (1 byte) = 03, F190 (17 bytes) = VIN
    const response = new Uint8Array([...hex('59 04 01 23 45 24 01 02 F1 86 03 F1 90'), ...VIN])
    const decoded: ReadDtcInformationResponse = {
      report: 4,
      dtc: 0x012345,
      status: 0x24,
      snapshots: [
        {
          recordNumber: 1,
          dids: [
            { did: 0xf186, data: hex('03') },
            { did: 0xf190, data: VIN }
          ]
        }
      ]
    }
    expect(readDtcInformation.decodeResponse(response)).toEqual(decoded)
    expect(readDtcInformation.encodeResponse(decoded)).toEqual(response)
  })

  it('0x04 answers a DTC without snapshots with DTC and status only', () => {
    expect(readDtcInformation.decodeResponse(hex('59 04 01 23 45 24'))).toEqual({ report: 4, dtc: 0x012345, status: 0x24, snapshots: [] })
  })

  it('0x06 splits extended data records by the sizes the caller knows', () => {
    expect(readDtcInformation.encodeRequest({ report: DTC_REPORT.extendedDataRecordByDtcNumber, dtc: 0x012345, recordNumber: ALL_RECORDS })).toEqual(hex('19 06 01 23 45 FF'))
    const response = hex('59 06 01 23 45 24 01 05 02 10 20')
    const sizes: Record<number, number> = { 1: 1, 2: 2 }
    const decoded: ReadDtcInformationResponse = {
      report: 6,
      dtc: 0x012345,
      status: 0x24,
      extendedData: [
        { recordNumber: 1, data: hex('05') },
        { recordNumber: 2, data: hex('10 20') }
      ]
    }
    expect(readDtcInformation.decodeResponse(response, { extendedDataSize: (record) => sizes[record] })).toEqual(decoded)
    expect(readDtcInformation.encodeResponse(decoded)).toEqual(response)
    // Without sizes, one record takes the rest: right for a request of a single record.
    expect(readDtcInformation.decodeResponse(hex('59 06 01 23 45 24 01 05 06'))).toMatchObject({ extendedData: [{ recordNumber: 1, data: hex('05 06') }] })
  })

  it('0x0A lists the supported DTCs', () => {
    expect(readDtcInformation.encodeRequest({ report: DTC_REPORT.supportedDtcs })).toEqual(hex('19 0A'))
    expect(readDtcInformation.decodeResponse(hex('59 0A FF 01 23 45 00'))).toEqual({ report: 0x0a, statusAvailabilityMask: 0xff, dtcs: [{ dtc: 0x012345, status: 0 }] })
  })

  it('names an unsupported sub-function and suggests subFunctionNotSupported', () => {
    const error = (() => {
      try {
        readDtcInformation.decodeRequest(hex('19 03'))
      } catch (caught) {
        return caught
      }
    })()
    expect(error).toBeInstanceOf(UdsDecodeError)
    expect(error).toMatchObject({ message: '0x19 request: sub-function 0x03 is not supported by this codec', nrc: NRC.subFunctionNotSupported })
  })
})
