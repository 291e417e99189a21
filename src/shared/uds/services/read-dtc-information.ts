import { type ByteReader, concatBytes, hexByte, u16, u8, uintBytes } from '../bytes'
import { BUILTIN_DID_CATALOG } from '../did-catalog'
import { type DidData, encodeDidData, readDidData } from '../did-data'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import { NRC } from '../nrc'
import type { ServiceCodec, UdsDecodeOptions } from '../service'
import { SID } from '../sids'

/** 0x19 ReadDTCInformation, the sub-functions a fleet console needs. */

export const DTC_REPORT = {
  numberOfDtcByStatusMask: 0x01,
  dtcByStatusMask: 0x02,
  snapshotRecordByDtcNumber: 0x04,
  extendedDataRecordByDtcNumber: 0x06,
  supportedDtcs: 0x0a
} as const

/** Record number that asks for every snapshot or extended data record of a DTC. */
export const ALL_RECORDS = 0xff

type Suppress = { suppressPositiveResponse?: boolean }
export type ReadDtcInformationRequest = Suppress & ({ report: 0x01 | 0x02; statusMask: number } | { report: 0x04 | 0x06; dtc: number; recordNumber: number } | { report: 0x0a })

export interface DtcAndStatus {
  dtc: number
  status: number
}
export interface SnapshotRecord {
  recordNumber: number
  dids: DidData[]
}
export interface ExtendedDataRecord {
  recordNumber: number
  data: Uint8Array
}

export type ReadDtcInformationResponse =
  | { report: 0x01; statusAvailabilityMask: number; formatIdentifier: number; count: number }
  | { report: 0x02 | 0x0a; statusAvailabilityMask: number; dtcs: DtcAndStatus[] }
  | ({ report: 0x04; snapshots: SnapshotRecord[] } & DtcAndStatus)
  | ({ report: 0x06; extendedData: ExtendedDataRecord[] } & DtcAndStatus)

const sid = SID.readDtcInformation
const dtcBytes = (dtc: number): Uint8Array => uintBytes(dtc, 3, 'DTC')

const unsupported = (reader: ByteReader, report: number): Error => reader.error(`sub-function ${hexByte(report)} is not supported by this codec`, NRC.subFunctionNotSupported)

function readDtcAndStatus(reader: ByteReader): DtcAndStatus {
  return { dtc: reader.uint(3, 'DTC'), status: reader.u8('DTC status') }
}

function readSnapshots(reader: ByteReader, options: UdsDecodeOptions): SnapshotRecord[] {
  const snapshots: SnapshotRecord[] = []
  while (reader.remaining > 0) {
    const recordNumber = reader.u8('snapshot record number')
    const count = reader.u8('number of identifiers')
    const dids = Array.from({ length: count }, () => readDidData(reader, options.didCatalog ?? BUILTIN_DID_CATALOG))
    snapshots.push({ recordNumber, dids })
  }
  return snapshots
}

function readExtendedData(reader: ByteReader, options: UdsDecodeOptions): ExtendedDataRecord[] {
  const records: ExtendedDataRecord[] = []
  while (reader.remaining > 0) {
    const recordNumber = reader.u8('extended data record number')
    const size = options.extendedDataSize?.(recordNumber)
    records.push({ recordNumber, data: size === undefined ? reader.rest() : reader.take(size, `extended data record ${hexByte(recordNumber)}`) })
  }
  return records
}

export const readDtcInformation: ServiceCodec<ReadDtcInformationRequest, ReadDtcInformationResponse> = {
  sid,
  encodeRequest(request) {
    const sub = subFunctionByte(request.report, request.suppressPositiveResponse, 'report type')
    switch (request.report) {
      case 0x01:
      case 0x02:
        return requestFrame(sid, sub, u8(request.statusMask, 'status mask'))
      case 0x04:
      case 0x06:
        return requestFrame(sid, sub, dtcBytes(request.dtc), u8(request.recordNumber, 'record number'))
      case 0x0a:
        return requestFrame(sid, sub)
    }
  },
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: report, suppressPositiveResponse } = readSubFunction(reader, 'report type')
    let request: ReadDtcInformationRequest
    switch (report) {
      case 0x01:
      case 0x02:
        request = { report, statusMask: reader.u8('status mask'), suppressPositiveResponse }
        break
      case 0x04:
      case 0x06:
        request = { report, dtc: reader.uint(3, 'DTC'), recordNumber: reader.u8('record number'), suppressPositiveResponse }
        break
      case 0x0a:
        request = { report, suppressPositiveResponse }
        break
      default:
        throw unsupported(reader, report)
    }
    reader.end('the request')
    return request
  },
  encodeResponse(response) {
    const report = echoByte(response.report, 'report type')
    switch (response.report) {
      case 0x01:
        return responseFrame(
          sid,
          report,
          u8(response.statusAvailabilityMask, 'status availability mask'),
          u8(response.formatIdentifier, 'DTC format'),
          u16(response.count, 'DTC count')
        )
      case 0x02:
      case 0x0a:
        return responseFrame(
          sid,
          report,
          u8(response.statusAvailabilityMask, 'status availability mask'),
          ...response.dtcs.map(({ dtc, status }) => concatBytes(dtcBytes(dtc), u8(status, 'DTC status')))
        )
      case 0x04:
        return responseFrame(
          sid,
          report,
          dtcBytes(response.dtc),
          u8(response.status, 'DTC status'),
          ...response.snapshots.map(({ recordNumber, dids }) =>
            concatBytes(u8(recordNumber, 'record number'), u8(dids.length, 'number of identifiers'), ...dids.map(encodeDidData))
          )
        )
      case 0x06:
        return responseFrame(
          sid,
          report,
          dtcBytes(response.dtc),
          u8(response.status, 'DTC status'),
          ...response.extendedData.map(({ recordNumber, data }) => concatBytes(u8(recordNumber, 'record number'), data))
        )
    }
  },
  decodeResponse(bytes, options = {}) {
    const reader = responseReader(bytes, sid)
    const report = readEcho(reader, 'report type')
    switch (report) {
      case 0x01: {
        const statusAvailabilityMask = reader.u8('status availability mask')
        const formatIdentifier = reader.u8('DTC format')
        const count = reader.u16('DTC count')
        reader.end('DTC count')
        return { report, statusAvailabilityMask, formatIdentifier, count }
      }
      case 0x02:
      case 0x0a: {
        const statusAvailabilityMask = reader.u8('status availability mask')
        if (reader.remaining % 4 !== 0) throw reader.error(`DTC records are 4 bytes each, ${reader.remaining} bytes left`)
        const dtcs: DtcAndStatus[] = []
        while (reader.remaining > 0) dtcs.push(readDtcAndStatus(reader))
        return { report, statusAvailabilityMask, dtcs }
      }
      case 0x04:
        return { report, ...readDtcAndStatus(reader), snapshots: readSnapshots(reader, options) }
      case 0x06:
        return { report, ...readDtcAndStatus(reader), extendedData: readExtendedData(reader, options) }
      default:
        throw unsupported(reader, report)
    }
  }
}
