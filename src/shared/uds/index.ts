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
export {
  ALL_DTC_GROUPS,
  clearDiagnosticInformation,
  type ClearDiagnosticInformationRequest,
  type ClearDiagnosticInformationResponse
} from './services/clear-diagnostic-information'
export {
  COMMUNICATION_CONTROL,
  COMMUNICATION_TYPE,
  communicationControl,
  type CommunicationControlRequest,
  type CommunicationControlResponse
} from './services/communication-control'
export { controlDtcSetting, type ControlDtcSettingRequest, type ControlDtcSettingResponse, DTC_SETTING } from './services/control-dtc-setting'
export { ecuReset, type EcuResetRequest, type EcuResetResponse, RESET_TYPE } from './services/ecu-reset'
export { readDataByIdentifier, type ReadDataByIdentifierRequest, type ReadDataByIdentifierResponse } from './services/read-data-by-identifier'
export {
  ALL_RECORDS,
  DTC_REPORT,
  type DtcAndStatus,
  type ExtendedDataRecord,
  readDtcInformation,
  type ReadDtcInformationRequest,
  type ReadDtcInformationResponse,
  type SnapshotRecord
} from './services/read-dtc-information'
export { requestDownload, type RequestDownloadRequest, type RequestDownloadResponse, transferDataChunkSize } from './services/request-download'
export { requestTransferExit, type RequestTransferExitRequest, type RequestTransferExitResponse } from './services/request-transfer-exit'
export {
  decodeEraseMemoryOption,
  eraseMemoryOption,
  ROUTINE,
  ROUTINE_CONTROL,
  routineControl,
  type RoutineControlRequest,
  type RoutineControlResponse
} from './services/routine-control'
export { securityAccess, type SecurityAccessRequest, type SecurityAccessResponse, securityAccessType } from './services/security-access'
export { diagnosticSessionControl, SESSION, type SessionControlRequest, type SessionControlResponse } from './services/session-control'
export { testerPresent, type TesterPresentRequest, type TesterPresentResponse } from './services/tester-present'
export {
  FIRST_BLOCK_SEQUENCE_COUNTER,
  nextBlockSequenceCounter,
  type TransferBlock,
  transferData,
  type TransferDataRequest,
  transferDataRequests,
  type TransferDataResponse
} from './services/transfer-data'
export { writeDataByIdentifier, type WriteDataByIdentifierRequest, type WriteDataByIdentifierResponse } from './services/write-data-by-identifier'
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
