import type { DiagOperation } from '../../shared/calls/diagnostics'
import { DTC_REPORT, encodeUdsRequest, fromHex } from '../../shared/uds'

/** The UDS request a run sends to every ECU it asks. */
export function operationRequest(operation: DiagOperation): Uint8Array {
  switch (operation.kind) {
    case 'readDtcs':
      return encodeUdsRequest({ service: 'readDtcInformation', report: DTC_REPORT.dtcByStatusMask, statusMask: operation.statusMask })
    case 'readDids':
      return encodeUdsRequest({ service: 'readDataByIdentifier', dids: operation.dids.map((did) => parseInt(did, 16)) })
    case 'raw':
      return fromHex(operation.uds)
  }
}
