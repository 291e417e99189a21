import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'

import { SEALED_IV_LEN as IV_LEN, SEALED_MAGIC, SEALED_OVERHEAD, SEALED_TAG_LEN as TAG_LEN } from '../../shared/sealed-format'

// Sealing and opening stream, so a firmware image is never held whole in memory.
const MAGIC = Buffer.from(SEALED_MAGIC)

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
  // An empty image seals to header and tag alone, a byte range fs cannot express (end before start).
  const body: Readable = size === SEALED_OVERHEAD ? Readable.from([]) : createReadStream(path, { start: head.length, end: size - TAG_LEN - 1 })
  body.on('error', (err) => decipher.destroy(err))
  return body.pipe(decipher)
}
