/** The DoIP (ISO 13400-2) codec: messages to and from bytes, and a TCP stream framer. No sockets. */
export type { CodeInfo } from './codes'
export { DoipDecodeError } from './errors'
export { DoipStreamFramer, type FramerEvent } from './framer'
export { decodeHeader, DEFAULT_MAX_PAYLOAD_LENGTH, type DoipDecodeOptions, type DoipHeader, encodeHeader, HEADER_LENGTH, PROTOCOL_VERSION } from './header'
export { decodeDoipMessage, decodeDoipPayload, type DecodedDoipMessage, type DoipMessage, encodeDiagnosticMessageParts, encodeDoipMessage } from './message'
export { type DoipMessageType, PAYLOAD_TYPE, payloadTypeName } from './payload-types'
export type { AliveCheckResponse } from './payloads/alive-check'
export {
  DIAGNOSTIC_ACK,
  DIAGNOSTIC_NACK,
  describeDiagnosticAck,
  describeDiagnosticNack,
  type DiagnosticMessage,
  type DiagnosticMessageAcknowledgement
} from './payloads/diagnostic-message'
export { describeNodeType, type EntityStatusResponse, NODE_TYPE } from './payloads/entity-status'
export { describeGenericNack, GENERIC_NACK, type GenericNack } from './payloads/generic-nack'
export { describePowerMode, POWER_MODE, type PowerModeResponse } from './payloads/power-mode'
export {
  ACTIVATION_TYPE,
  describeActivationType,
  describeRoutingActivationCode,
  ROUTING_ACTIVATION_CODE,
  type RoutingActivationRequest,
  type RoutingActivationResponse
} from './payloads/routing-activation'
export {
  describeFurtherAction,
  describeSyncStatus,
  FURTHER_ACTION,
  SYNC_STATUS,
  type VehicleAnnouncement,
  type VehicleIdentificationRequestByEid,
  type VehicleIdentificationRequestByVin
} from './payloads/vehicle-identification'
