import { createDecipheriv, createHash } from 'node:crypto'
import { DataKeyError, unwrapDataKey } from '../../crypto/data-key'
import { bundleDataKeyContext, type WrappedDataKey } from '../../shared/data-key'
import type { BlobRange } from '../../shared/bundle/container'
import { SEALED_HEADER_LEN, SEALED_MAGIC, SEALED_OVERHEAD, SEALED_TAG_LEN } from '../../shared/sealed-format'
import { blobStream } from './container-file'
import { open } from 'node:fs/promises'

/** Opens a bundle's content key with this workshop's X-Wing key; null when it was wrapped for another key, another bundle, or altered. */
export function unwrapContentKey(wrapped: WrappedDataKey, workshopId: string, bundleId: string, seed: Buffer): Buffer | null {
  try {
    return unwrapDataKey(wrapped, seed, bundleDataKeyContext(workshopId, bundleId))
  } catch (err) {
    if (err instanceof DataKeyError) return null
    throw err
  }
}

/**
 * Decrypts one sealed payload (OTA1 layout) from the bundle file as it streams, handing each
 * plaintext chunk to `sink`; resolves with the plaintext's sha256 and length, or throws when
 * the key is wrong or a byte was altered (the GCM tag is checked at the end).
 */
export async function decryptPayload(path: string, range: BlobRange, key: Buffer, sink?: (chunk: Buffer) => void) {
  if (range.length < SEALED_OVERHEAD) throw new Error(`${range.name} is ${range.length} bytes: too short to be a sealed payload`)
  const handle = await open(path, 'r')
  const head = Buffer.alloc(SEALED_HEADER_LEN)
  const tag = Buffer.alloc(SEALED_TAG_LEN)
  try {
    await handle.read(head, 0, head.length, range.offset)
    await handle.read(tag, 0, tag.length, range.offset + range.length - SEALED_TAG_LEN)
  } finally {
    await handle.close()
  }
  if (!SEALED_MAGIC.every((b, i) => head[i] === b)) throw new Error(`${range.name} is not a sealed payload (no OTA1 header)`)
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(SEALED_MAGIC.length))
  decipher.setAuthTag(tag)
  const hash = createHash('sha256')
  let length = 0
  const take = (chunk: Buffer) => {
    hash.update(chunk)
    length += chunk.length
    sink?.(chunk)
  }
  const body = { ...range, offset: range.offset + SEALED_HEADER_LEN, length: range.length - SEALED_OVERHEAD }
  for await (const chunk of blobStream(path, body)) take(decipher.update(chunk as Buffer))
  take(decipher.final())
  return { sha256: hash.digest('hex'), length }
}
