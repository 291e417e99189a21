import { uintBytes } from '../bytes'
import { requestFrame, requestReader, responseFrame, responseReader } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x14 ClearDiagnosticInformation. */

/** groupOfDTC that selects every DTC. */
export const ALL_DTC_GROUPS = 0xffffff

export interface ClearDiagnosticInformationRequest {
  /** 3-byte group: a single DTC, a functional group, or ALL_DTC_GROUPS. */
  groupOfDtc: number
}

/** The positive response carries nothing but its SID. */
export type ClearDiagnosticInformationResponse = Record<never, never>

const sid = SID.clearDiagnosticInformation

export const clearDiagnosticInformation: ServiceCodec<ClearDiagnosticInformationRequest, ClearDiagnosticInformationResponse> = {
  sid,
  encodeRequest: ({ groupOfDtc }) => requestFrame(sid, uintBytes(groupOfDtc, 3, 'groupOfDTC')),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const groupOfDtc = reader.uint(3, 'groupOfDTC')
    reader.end('groupOfDTC')
    return { groupOfDtc }
  },
  encodeResponse: () => responseFrame(sid),
  decodeResponse(bytes) {
    responseReader(bytes, sid).end('SID')
    return {}
  }
}
