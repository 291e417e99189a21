import type { ByteReader } from '../../uds/bytes'

/** One payload type's body, without the generic header; `decode` reads from a reader bounded to the payload. */
export interface PayloadCodec<Message> {
  encode(message: Message): Uint8Array
  decode(reader: ByteReader): Message
}

/** Payload types with no body. */
export const emptyPayload: PayloadCodec<Record<never, never>> = {
  encode: () => new Uint8Array(),
  decode: () => ({})
}

/** A fixed number of raw bytes (EID, GID), checked on the way out. */
export function fixedBytes(bytes: Uint8Array, length: number, what: string): Uint8Array {
  if (bytes.length !== length) throw new RangeError(`${what} is ${length} bytes, got ${bytes.length}`)
  return bytes
}

/** VINs travel as 17 single-byte characters; unset ones are 0x00 or 0xFF, which must survive a round trip too. */
export function vinBytes(vin: string): Uint8Array {
  const bytes = Uint8Array.from({ length: vin.length }, (_, i) => vin.charCodeAt(i))
  if (bytes.length !== 17 || Array.from(vin).some((char) => char.charCodeAt(0) > 0xff)) throw new RangeError(`a VIN is 17 single-byte characters, got "${vin}"`)
  return bytes
}

export const readVin = (reader: ByteReader): string => Array.from(reader.take(17, 'VIN'), (byte) => String.fromCharCode(byte)).join('')
