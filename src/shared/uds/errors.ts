import { NRC } from './nrc'

/**
 * A UDS frame that does not decode. `nrc` is the negative response a server would answer such a
 * request with, so a simulator can turn the error straight into 7F SID NRC.
 */
export class UdsDecodeError extends Error {
  override readonly name = 'UdsDecodeError'

  constructor(
    message: string,
    readonly nrc: number = NRC.incorrectMessageLengthOrInvalidFormat
  ) {
    super(message)
  }
}
