import { GENERIC_NACK } from './payloads/generic-nack'

/**
 * A DoIP message that does not decode, with the generic header NACK it deserves. After an
 * incorrect pattern or an invalid payload length the standard has the socket closed; after the
 * other NACKs only the message is discarded.
 */
export class DoipDecodeError extends Error {
  override readonly name = 'DoipDecodeError'
  readonly closeConnection: boolean

  constructor(
    message: string,
    readonly nack: number
  ) {
    super(message)
    this.closeConnection = nack === GENERIC_NACK.incorrectPatternFormat || nack === GENERIC_NACK.invalidPayloadLength
  }
}
