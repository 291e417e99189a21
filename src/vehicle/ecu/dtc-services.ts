import { ALL_DTC_GROUPS, ALL_RECORDS, DTC_REPORT, NRC, type SnapshotRecord } from '../../shared/uds'
import type { ServiceHandler } from './context'
import type { DtcEnvironment, DtcRecord } from './dtc-memory'
import { SIM_DID, uintData } from './dids'
import { refuse } from './refusal'

/** 0x14 and 0x19 over the ECU's DTC memory. */

/** Every status bit is supported. */
const STATUS_AVAILABILITY_MASK = 0xff
/** DTC format identifier 01: ISO 14229-1. */
const ISO_14229_1_FORMAT = 0x01
/** Snapshot records: 01 the first failure since the last clear, 02 the latest. */
const SNAPSHOT = { first: 0x01, latest: 0x02 } as const
/** Extended data records, one byte each: 01 occurrence counter, 02 aging counter. */
const EXTENDED_DATA = { occurrenceCounter: 0x01, agingCounter: 0x02 } as const

const snapshotDids = (environment: DtcEnvironment) => [
  { did: SIM_DID.odometer, data: uintData(environment.odometerKm, 3) },
  { did: SIM_DID.batteryVoltage, data: uintData(environment.batteryMv, 2) }
]

function snapshots(record: DtcRecord, recordNumber: number): SnapshotRecord[] {
  const stored: [number, DtcEnvironment | undefined][] = [
    [SNAPSHOT.first, record.firstFailure],
    [SNAPSHOT.latest, record.latestFailure]
  ]
  return stored.flatMap(([number, environment]) =>
    environment && (recordNumber === ALL_RECORDS || recordNumber === number) ? [{ recordNumber: number, dids: snapshotDids(environment) }] : []
  )
}

function extendedData(record: DtcRecord, recordNumber: number) {
  const stored = [
    { recordNumber: EXTENDED_DATA.occurrenceCounter, data: Uint8Array.of(Math.min(255, record.occurrences)) },
    { recordNumber: EXTENDED_DATA.agingCounter, data: Uint8Array.of(record.agingCounter) }
  ]
  return stored.filter((r) => recordNumber === ALL_RECORDS || r.recordNumber === recordNumber)
}

export const readDtcInformation: ServiceHandler<'readDtcInformation'> = (request, ecu) => {
  const records = ecu.dtcs.records(ecu.clock.now())
  switch (request.report) {
    case DTC_REPORT.numberOfDtcByStatusMask:
      return {
        service: 'readDtcInformation',
        report: request.report,
        statusAvailabilityMask: STATUS_AVAILABILITY_MASK,
        formatIdentifier: ISO_14229_1_FORMAT,
        count: records.filter((r) => r.status & request.statusMask).length
      }
    case DTC_REPORT.dtcByStatusMask:
      return {
        service: 'readDtcInformation',
        report: request.report,
        statusAvailabilityMask: STATUS_AVAILABILITY_MASK,
        dtcs: records.filter((r) => r.status & request.statusMask).map(({ dtc, status }) => ({ dtc, status }))
      }
    case DTC_REPORT.supportedDtcs:
      return { service: 'readDtcInformation', report: request.report, statusAvailabilityMask: STATUS_AVAILABILITY_MASK, dtcs: records.map(({ dtc, status }) => ({ dtc, status })) }
    case DTC_REPORT.snapshotRecordByDtcNumber:
    case DTC_REPORT.extendedDataRecordByDtcNumber: {
      const record = records.find((r) => r.dtc === request.dtc)
      if (!record) throw refuse(NRC.requestOutOfRange, `no DTC ${request.dtc.toString(16).padStart(6, '0')} in this ECU`)
      const known = request.report === DTC_REPORT.snapshotRecordByDtcNumber ? Object.values(SNAPSHOT) : Object.values(EXTENDED_DATA)
      if (request.recordNumber !== ALL_RECORDS && !(known as number[]).includes(request.recordNumber))
        throw refuse(NRC.requestOutOfRange, `record ${request.recordNumber} is not supported`)
      return request.report === DTC_REPORT.snapshotRecordByDtcNumber
        ? { service: 'readDtcInformation', report: request.report, dtc: record.dtc, status: record.status, snapshots: snapshots(record, request.recordNumber) }
        : { service: 'readDtcInformation', report: request.report, dtc: record.dtc, status: record.status, extendedData: extendedData(record, request.recordNumber) }
    }
  }
}

/** 0x14: FFFFFF clears all; a single DTC of this ECU clears that one; anything else is out of range. */
export const clearDiagnosticInformation: ServiceHandler<'clearDiagnosticInformation'> = ({ groupOfDtc }, ecu) => {
  if (!ecu.dtcs.clear(groupOfDtc === ALL_DTC_GROUPS ? undefined : groupOfDtc, ecu.clock.now())) {
    throw refuse(NRC.requestOutOfRange, `group ${groupOfDtc.toString(16).padStart(6, '0')} is neither FFFFFF nor a DTC of this ECU`)
  }
  return { service: 'clearDiagnosticInformation' }
}
