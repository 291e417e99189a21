/** The UDS (ISO 14229-1) codec: pure encode/decode of requests and responses, no transport. */
export { fromHex, toHex } from './bytes'
export { decodeUdsRequest, decodeUdsResponse, encodeUdsRequest, encodeUdsResponse, type UdsPositiveResponse, type UdsRequest, type UdsResponse } from './codec'
export { BUILTIN_DID_CATALOG, decodeDidValue, DID, type DidCatalog, type DidDefinition, type DidValue, type DidValueType, encodeDidValue, fixedDidLength } from './did-catalog'
export { DidCatalogError, loadDidCatalog } from './did-catalog-json'
export type { DidData } from './did-data'
export { decodeDtcStatus, describeDtc, DTC_STATUS_BITS, DTC_STATUS_MASK, type DtcStatus, type DtcStatusBit, encodeDtcStatus, formatDtc, parseDtc } from './dtc'
export { UdsDecodeError } from './errors'
export type { MemoryRange } from './memory'
export { decodeNegativeResponse, describeNegativeResponse, encodeNegativeResponse, isNegativeResponse, isResponsePending, type NegativeResponse } from './negative-response'
export { describeNrc, NRC, type NrcInfo, type NrcName } from './nrc'
export { DEFAULT_UDS_TIMING, type PendingTimer, type PendingTimerEvent, startPendingTimer, stepPendingTimer, type UdsTiming } from './pending-timer'
export { demoXorRotateKey, type SecurityKeyAlgorithm } from './security-key'
export type { ServiceCodec, UdsDecodeOptions } from './service'
export { ALL_DTC_GROUPS, clearDiagnosticInformation } from './services/clear-diagnostic-information'
export { COMMUNICATION_CONTROL, COMMUNICATION_TYPE, communicationControl } from './services/communication-control'
export { controlDtcSetting, DTC_SETTING } from './services/control-dtc-setting'
export { ecuReset, RESET_TYPE } from './services/ecu-reset'
export { readDataByIdentifier } from './services/read-data-by-identifier'
export { ALL_RECORDS, DTC_REPORT, type DtcAndStatus, type ExtendedDataRecord, readDtcInformation, type SnapshotRecord } from './services/read-dtc-information'
export { requestDownload, transferDataChunkSize } from './services/request-download'
export { requestTransferExit } from './services/request-transfer-exit'
export { decodeEraseMemoryOption, eraseMemoryOption, ROUTINE, ROUTINE_CONTROL, routineControl } from './services/routine-control'
export { securityAccess, securityAccessType } from './services/security-access'
export { diagnosticSessionControl, SESSION } from './services/session-control'
export { testerPresent } from './services/tester-present'
export { FIRST_BLOCK_SEQUENCE_COUNTER, nextBlockSequenceCounter, transferData } from './services/transfer-data'
export { writeDataByIdentifier } from './services/write-data-by-identifier'
export {
  hasSubFunction,
  NEGATIVE_RESPONSE_SID,
  POSITIVE_RESPONSE_OFFSET,
  type ServiceName,
  serviceNameOf,
  SID,
  SUPPRESS_POSITIVE_RESPONSE_BIT,
  suppressesPositiveResponse
} from './sids'
