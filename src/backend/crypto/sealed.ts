import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
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

/** What openSealed reads from: a blob store's ranged reads (local files or an object store). */
export interface SealedSource {
  size(name: string): Promise<number>
  read(name: string, range?: { start: number; end: number }): Promise<Readable>
}

const bytesOf = async (stream: Readable) => {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}

/** Decrypts a sealed blob as a stream; the stream errors at its end if anything was altered. */
export async function openSealed(source: SealedSource, name: string, key: Buffer): Promise<Readable> {
  const size = await source.size(name)
  if (size < SEALED_OVERHEAD) throw new SealedBlobError(`${name} is too short to be a sealed blob`)
  const headLength = MAGIC.length + IV_LEN
  const head = await bytesOf(await source.read(name, { start: 0, end: headLength - 1 }))
  const tag = await bytesOf(await source.read(name, { start: size - TAG_LEN, end: size - 1 }))
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw new SealedBlobError(`${name} is not a sealed blob`)
  const decipher = createDecipheriv('aes-256-gcm', key, head.subarray(MAGIC.length))
  decipher.setAuthTag(tag)
  // An empty image seals to header and tag alone, a byte range a store cannot express (end before start).
  const body: Readable = size === SEALED_OVERHEAD ? Readable.from([]) : await source.read(name, { start: headLength, end: size - TAG_LEN - 1 })
  body.on('error', (err) => decipher.destroy(err))
  return body.pipe(decipher)
}
