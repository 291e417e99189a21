/**
 * The layout of a sealed firmware blob, shared by the backend that seals and the vehicle that
 * opens: "OTA1" | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag.
 */
export const SEALED_MAGIC = [0x4f, 0x54, 0x41, 0x31] as const // "OTA1"
export const SEALED_IV_LEN = 12
export const SEALED_TAG_LEN = 16
export const SEALED_HEADER_LEN = SEALED_MAGIC.length + SEALED_IV_LEN
export const SEALED_OVERHEAD = SEALED_HEADER_LEN + SEALED_TAG_LEN

/** Splits a sealed blob into its parts, or says why it is not one. */
export function sealedParts(blob: Uint8Array): { iv: Uint8Array; ciphertext: Uint8Array; tag: Uint8Array } | string {
  if (blob.length < SEALED_OVERHEAD) return `${blob.length} bytes is too short for a sealed blob`
  if (!SEALED_MAGIC.every((b, i) => blob[i] === b)) return 'not a sealed blob (no OTA1 header)'
  return {
    iv: blob.subarray(SEALED_MAGIC.length, SEALED_HEADER_LEN),
    ciphertext: blob.subarray(SEALED_HEADER_LEN, blob.length - SEALED_TAG_LEN),
    tag: blob.subarray(blob.length - SEALED_TAG_LEN)
  }
}
