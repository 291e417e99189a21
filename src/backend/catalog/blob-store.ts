import { createHash } from 'node:crypto'
import { Transform, type Readable, type Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { sealStream } from '../crypto/sealed'

export class TooLargeError extends Error {}

/** A byte range, both ends included, as HTTP gives it. */
export interface ByteRange {
  start: number
  end: number
}

/**
 * Where blobs are kept: local files (the embedded default) or an S3-compatible object store. New
 * bytes go to a temporary name first, because a blob's name is its hash, known only at the end.
 */
export interface BlobBackend {
  /** Where, for the start-up line. */
  readonly describe: string
  create(): { stream: Writable; keep(name: string): Promise<void>; discard(): Promise<void> }
  read(name: string, range?: ByteRange): Promise<Readable>
  size(name: string): Promise<number>
  remove(name: string): Promise<void>
  /** Rejects, saying why, when the store cannot be used now (for GET /ready). */
  reachable(): Promise<void>
}

/** Counts and hashes what flows through, and stops the stream past a size limit. */
function meter(limit: number) {
  const hash = createHash('sha256')
  let size = 0
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length
      if (size > limit) return done(new TooLargeError(`the upload is larger than the ${limit}-byte limit`))
      hash.update(chunk)
      done(null, chunk)
    }
  })
  return { stream, result: () => ({ sha256: hash.digest('hex'), size }) }
}

/**
 * Content-addressed blobs, always sealed (AES-256-GCM). Uploads are named by the plaintext's
 * sha256; published copies by the sha256 of the bytes a vehicle downloads.
 */
export function createBlobStore(backend: BlobBackend) {
  async function put(stages: Transform[], name: (out: { sha256: string }) => string, m: ReturnType<typeof meter>, source: Readable) {
    const target = backend.create()
    try {
      await pipeline(source, ...(stages as [Transform]), target.stream)
    } catch (err) {
      await target.discard()
      throw err
    }
    const out = m.result()
    await target.keep(name(out))
    return out
  }

  return {
    describe: backend.describe,
    uploadName: (sha256: string) => `uploads/${sha256}`,
    publishedName: (model: string, sha256: string) => `published/${model}/${sha256}`,

    /** Streams plaintext in: hashes and sizes it, seals it with the key, stores it by its hash. */
    putPlain(source: Readable, key: Buffer, limit: number): Promise<{ sha256: string; size: number }> {
      const m = meter(limit)
      return put([m.stream, sealStream(key)], (out) => `uploads/${out.sha256}`, m, source)
    },

    /** Streams plaintext in, seals it with a release's data key, stores it by the sealed bytes' hash. */
    putSealedFor(model: string, plain: Readable, key: Buffer): Promise<{ sha256: string; size: number }> {
      const m = meter(Number.MAX_SAFE_INTEGER)
      return put([sealStream(key), m.stream], (out) => `published/${model}/${out.sha256}`, m, plain)
    },

    read: (name: string, range?: ByteRange) => backend.read(name, range),
    size: (name: string) => backend.size(name),
    remove: (name: string) => backend.remove(name),
    reachable: () => backend.reachable()
  }
}
export type BlobStore = ReturnType<typeof createBlobStore>
