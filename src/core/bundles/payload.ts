import { createDecipheriv, createHash, createPublicKey, diffieHellman, hkdfSync, type KeyObject } from 'node:crypto'
import { keyWrapInfo } from '../../shared/bundle/key-wrap'
import type { WrappedKey } from '../../shared/bundle/manifest'
import type { BlobRange } from '../../shared/bundle/container'
import { SEALED_HEADER_LEN, SEALED_MAGIC, SEALED_OVERHEAD, SEALED_TAG_LEN } from '../../shared/sealed-format'
import { blobStream } from './container-file'
import { open } from 'node:fs/promises'

/** Opens a bundle's content key with this workshop's X25519 key; null when it was wrapped for another key or altered. */
export function unwrapContentKey(wrapped: WrappedKey, bundleId: string, privateKey: KeyObject, publicHex: string): Buffer | null {
  try {
    const ephemeral = Buffer.from(wrapped.ephemeralPublicKey, 'hex')
    const shared = diffieHellman({ privateKey, publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeral.toString('base64url') }, format: 'jwk' }) })
    const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeral, Buffer.from(publicHex, 'hex')]), keyWrapInfo(bundleId), 32))
    const raw = Buffer.from(wrapped.wrapped, 'base64')
    const decipher = createDecipheriv('aes-256-gcm', kek, raw.subarray(0, 12))
    decipher.setAuthTag(raw.subarray(raw.length - 16))
    const key = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()])
    return key.length === 32 ? key : null
  } catch {
    return null
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
