/**
 * Byte helpers shared by the UDS and DoIP codecs. They take Uint8Array, not Buffer, because
 * src/shared also runs in the browser.
 */

/** Big-endian integers wider than this lose precision in a JS number. */
export const MAX_UINT_BYTES = 6

/**
 * Reads a frame front to back. Every read is bounds-checked and reported through `fail`, so a
 * short or long frame becomes the codec's own error naming the field, never an index error.
 */
export class ByteReader {
  private offset = 0

  constructor(
    private readonly bytes: Uint8Array,
    private readonly fail: (message: string, code?: number) => Error
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset
  }

  take(length: number, what: string): Uint8Array {
    if (!Number.isInteger(length) || length < 0) throw new RangeError(`${what}: ${length} is not a byte count`)
    if (this.remaining < length) throw this.fail(`${what} needs ${length} byte${length === 1 ? '' : 's'}, ${this.remaining} left`)
    const out = this.bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }

  u8(what: string): number {
    return this.take(1, what)[0] as number
  }

  u16(what: string): number {
    return this.uint(2, what)
  }

  u32(what: string): number {
    return this.uint(4, what)
  }

  uint(length: number, what: string): number {
    return readUint(this.take(length, what))
  }

  /** The codec's error for a problem found in this frame, with the frame's context; `code` is the codec's reply code (NRC, NACK). */
  error(message: string, code?: number): Error {
    return this.fail(message, code)
  }

  rest(): Uint8Array {
    return this.take(this.remaining, 'rest')
  }

  /** Called once a frame's last field is read: trailing bytes mean the frame is not what it claims. */
  end(what: string): void {
    if (this.remaining > 0) throw this.fail(`${this.remaining} unexpected byte${this.remaining === 1 ? '' : 's'} after ${what}`)
  }
}

export function readUint(bytes: Uint8Array): number {
  let value = 0
  for (const byte of bytes) value = value * 256 + byte
  return value
}

/** Big-endian `value` in exactly `length` bytes; RangeError when it does not fit (a caller's bug, not a frame's). */
export function uintBytes(value: number, length: number, what: string): Uint8Array {
  if (!Number.isInteger(length) || length < 1 || length > MAX_UINT_BYTES) throw new RangeError(`${what}: ${length} bytes is not 1 to ${MAX_UINT_BYTES}`)
  if (!Number.isSafeInteger(value) || value < 0 || value >= 2 ** (8 * length)) {
    throw new RangeError(`${what}: ${value} does not fit in ${length} byte${length === 1 ? '' : 's'}`)
  }
  const out = new Uint8Array(length)
  let rest = value
  for (let i = length - 1; i >= 0; i--) {
    out[i] = rest % 256
    rest = Math.floor(rest / 256)
  }
  return out
}

export const u8 = (value: number, what: string): Uint8Array => uintBytes(value, 1, what)
export const u16 = (value: number, what: string): Uint8Array => uintBytes(value, 2, what)
export const u32 = (value: number, what: string): Uint8Array => uintBytes(value, 4, what)

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** Upper-case hex, the way diagnostic tools and Wireshark print bytes. */
export function toHex(bytes: Uint8Array, separator = ''): string {
  return Array.from(bytes, (byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join(separator)
}

/** Parses hex with optional spaces (as people paste it); RangeError on anything else. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '')
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new RangeError(`not an even number of hex digits: "${text}"`)
  return Uint8Array.from(clean.match(/../g) ?? [], (pair) => parseInt(pair, 16))
}

/** 0x1A style, for messages and names. */
export const hexByte = (value: number): string => `0x${value.toString(16).toUpperCase().padStart(2, '0')}`

/** F190 style: how DIDs, routine ids and addresses are written in specs and tools. */
export const hexWord = (value: number): string => value.toString(16).toUpperCase().padStart(4, '0')
