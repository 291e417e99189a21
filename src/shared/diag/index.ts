/** Diagnostics shared by the console and the vehicle gateway: a UDS request seam and the flash sequence. */
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
