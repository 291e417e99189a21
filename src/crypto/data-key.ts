import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'
import { DATA_KEY_ALG, type WrappedDataKey } from '../shared/data-key'
import { xwingDecapsulate, xwingEncapsulate, xwingPublicKey } from './xwing'

/** Why a wrapped data key did not open, in words for the report. */
export class DataKeyError extends Error {}

const fingerprint = (publicKey: Buffer) => createHash('sha256').update(publicKey).digest('hex')

const kekOf = (sharedSecret: Buffer, context: string) => Buffer.from(hkdfSync('sha256', sharedSecret, Buffer.alloc(0), context, 32))

/** Wraps a 32-byte data key for the holder of one X-Wing public key, bound to `context` (see shared/data-key.ts). */
export function wrapDataKey(dataKey: Buffer, recipientPublicKey: Buffer, context: string): WrappedDataKey {
  if (dataKey.length !== 32) throw new Error(`a data key is 32 bytes, not ${dataKey.length}`)
  const { sharedSecret, ciphertext } = xwingEncapsulate(recipientPublicKey)
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', kekOf(sharedSecret, context), iv)
  cipher.setAAD(Buffer.from(context))
  const body = Buffer.concat([cipher.update(dataKey), cipher.final()])
  return {
    alg: DATA_KEY_ALG,
    recipient: fingerprint(recipientPublicKey),
    encapsulation: ciphertext.toString('base64'),
    wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')
  }
}

/** The data key, with the recipient's private seed; a wrapper for another key, altered, or moved to another context is refused. */
export function unwrapDataKey(wrapped: WrappedDataKey, seed: Buffer, context: string): Buffer {
  if (wrapped.recipient !== fingerprint(xwingPublicKey(seed))) {
    throw new DataKeyError(`the data key is wrapped for another key (${wrapped.recipient.slice(0, 12)}…), not this one`)
  }
  const raw = Buffer.from(wrapped.wrapped, 'base64')
  try {
    const sharedSecret = xwingDecapsulate(seed, Buffer.from(wrapped.encapsulation, 'base64'))
    const decipher = createDecipheriv('aes-256-gcm', kekOf(sharedSecret, context), raw.subarray(0, 12))
    decipher.setAAD(Buffer.from(context))
    decipher.setAuthTag(raw.subarray(raw.length - 16))
    return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()])
  } catch {
    throw new DataKeyError(`the wrapped data key does not open for ${context.replace(/^ota-data-key\/1 /, '')}: it was altered, or made for another one`)
  }
}
