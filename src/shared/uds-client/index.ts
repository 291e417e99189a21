/**
 * The UDS client the console and the vehicle gateway share: one request to one ECU over any
 * requester (DoIP, the backend's relay, the gateway's own bus), and the flash sequence built on it.
 * The codec itself is src/shared/uds.
 */
export { crc32, crc32Bytes } from './crc32'
export {
  FLASH_PHASES,
  FLASH_STEPS,
  FlashAbortedError,
  FlashError,
  type FlashOutcome,
  type FlashPhase,
  type FlashProgress,
  type FlashSequenceOptions,
  type FlashStep,
  runFlashSequence
} from './flash-sequence'
export { callUds, hexAddress, NegativeResponseError, UnexpectedResponseError, type UdsRequester } from './uds-call'
