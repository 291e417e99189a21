import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { Transform, type Readable } from 'node:stream'

/**
 * A sealed blob: "OTA1" | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag. Streams in and out,
 * so a firmware image is never held whole in memory.
 */
const MAGIC = Buffer.from('OTA1')
const IV_LEN = 12
const TAG_LEN = 16
export const SEALED_OVERHEAD = MAGIC.length + IV_LEN + TAG_LEN

export function sealStream(key: Buffer): Transform {
  const iv = randomBytes(IV_LEN)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  let headerSent = false
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      if (!headerSent) {
        this.push(Buffer.concat([MAGIC, iv]))
        headerSent = true
      }
      done(null, cipher.update(chunk))
    },
    flush(done) {
      if (!headerSent) this.push(Buffer.concat([MAGIC, iv]))
      this.push(cipher.final())
      done(null, cipher.getAuthTag())
    }
  })
}

export class SealedBlobError extends Error {}

/** Decrypts a sealed file as a stream; the stream errors at its end if anything was altered. */
export async function openSealed(path: string, key: Buffer): Promise<Readable> {
  const { size } = await stat(path)
  if (size < SEALED_OVERHEAD) throw new SealedBlobError(`${path} is too short to be a sealed blob`)
  const handle = await open(path, 'r')
  const head = Buffer.alloc(MAGIC.length + IV_LEN)
  const tag = Buffer.alloc(TAG_LEN)
  try {
    await handle.read(head, 0, head.length, 0)
    await handle.read(tag, 0, TAG_LEN, size - TAG_LEN)
  } finally {
    await handle.close()
  }
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealedBlobError(`${path} is not a sealed blob`)
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length))
  decipher.setAuthTag(tag)
  const body = createReadStream(path, { start: head.length, end: size - TAG_LEN - 1 })
  body.on('error', (err) => decipher.destroy(err))
  return body.pipe(decipher)
}

/** Decrypts a sealed blob held in memory (the vehicle side, after a verified download). */
export function unsealBuffer(sealed: Buffer, key: Buffer): Buffer {
  if (sealed.length < SEALED_OVERHEAD || !sealed.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new SealedBlobError('not a sealed blob')
  }
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(MAGIC.length, MAGIC.length + IV_LEN))
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_LEN))
  return Buffer.concat([decipher.update(sealed.subarray(MAGIC.length + IV_LEN, sealed.length - TAG_LEN)), decipher.final()])
}
