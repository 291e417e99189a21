import { type ByteReader, concatBytes, hexByte, MAX_UINT_BYTES, u8, uintBytes } from './bytes'
import { NRC } from './nrc'

/**
 * A memory range as 0x34 and the erase routine send it: the addressAndLengthFormatIdentifier (high
 * nibble = size bytes, low nibble = address bytes) followed by the address and the size.
 */
export interface MemoryRange {
  address: number
  size: number
  /** Bytes of the address on the wire, 4 when absent. */
  addressLength?: number
  /** Bytes of the size on the wire, 4 when absent. */
  sizeLength?: number
}

export function encodeMemoryRange({ address, size, addressLength = 4, sizeLength = 4 }: MemoryRange): Uint8Array {
  return concatBytes(
    u8((sizeLength << 4) | addressLength, 'addressAndLengthFormatIdentifier'),
    uintBytes(address, addressLength, 'memoryAddress'),
    uintBytes(size, sizeLength, 'memorySize')
  )
}

export function readMemoryRange(reader: ByteReader): Required<MemoryRange> {
  const format = reader.u8('addressAndLengthFormatIdentifier')
  const addressLength = format & 0x0f
  const sizeLength = format >> 4
  // Wider fields exist in the standard but not in a JS number; a server answers requestOutOfRange.
  if (addressLength < 1 || addressLength > MAX_UINT_BYTES || sizeLength < 1 || sizeLength > MAX_UINT_BYTES) {
    throw reader.error(`addressAndLengthFormatIdentifier ${hexByte(format)} needs 1 to ${MAX_UINT_BYTES} address and size bytes`, NRC.requestOutOfRange)
  }
  return { addressLength, sizeLength, address: reader.uint(addressLength, 'memoryAddress'), size: reader.uint(sizeLength, 'memorySize') }
}
