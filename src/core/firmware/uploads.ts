import { createHash, randomBytes, type Hash } from 'node:crypto'
import { once } from 'node:events'
import { PassThrough } from 'node:stream'
import { OtaError } from '../../shared/errors'
import type { ArtifactView } from '../../shared/fleet/catalog'
import { UPLOAD_CHUNK_BYTES } from '../../shared/calls/firmware'
import type { BackendClient } from '../backend/backend-client'

interface Upload {
  name: string
  size: number
  received: number
  hash: Hash
  body: PassThrough
  abort: AbortController
  answer: Promise<ArtifactView>
  /** Settles when the request does, whichever way; `failure` is then set if it failed. */
  settled: Promise<void>
  failure?: OtaError
  writing: boolean
  idle?: NodeJS.Timeout
}

const asOtaError = (err: unknown) => (err instanceof OtaError ? err : new OtaError('BACKEND_ERROR', (err as Error).message))

/**
 * Firmware uploads in chunks, for renderers that cannot hand the core a file: each upload is one
 * streamed releases.upload fed chunk by chunk. A chunk is answered once the request has
 * taken it (backpressure), so at most about a megabyte is held here however large the image.
 */
export function createUploads(deps: { client(): Promise<BackendClient>; idleMs?: number }) {
  const idleMs = deps.idleMs ?? 20_000
  const uploads = new Map<string, Upload>()

  const fail = (u: Upload, err: OtaError) => {
    u.failure ??= err
    u.abort.abort()
    u.body.destroy()
  }
  // A renderer that went away mid-upload must not leave a request open on the backend.
  const armIdle = (u: Upload) => {
    clearTimeout(u.idle)
    u.idle = setTimeout(() => fail(u, new OtaError('CANCELED', `The upload of ${u.name} stopped: no data arrived for ${idleMs / 1000} s.`)), idleMs)
    u.idle.unref()
  }
  const end = (id: string, u: Upload) => {
    clearTimeout(u.idle)
    uploads.delete(id)
  }
  const mustGet = (id: string) => {
    const u = uploads.get(id)
    if (!u) throw new OtaError('NOT_FOUND', `No upload ${id} is in progress (it finished, was canceled or timed out).`)
    return u
  }
  const failed = (id: string, u: Upload) => {
    if (!u.failure) return
    end(id, u)
    throw u.failure
  }

  return {
    async begin({ name, size }: { name: string; size: number }) {
      const client = await deps.client()
      const id = `upl_${randomBytes(8).toString('hex')}`
      const body = new PassThrough({ highWaterMark: 2 * UPLOAD_CHUNK_BYTES })
      const abort = new AbortController()
      const answer = client.releases.upload(body, { signal: abort.signal })
      const u: Upload = { name, size, received: 0, hash: createHash('sha256'), body, abort, answer, settled: Promise.resolve(), writing: false }
      u.settled = answer.then(
        () => undefined,
        (err: unknown) => fail(u, asOtaError(err))
      )
      uploads.set(id, u)
      armIdle(u)
      return { id, chunkBytes: UPLOAD_CHUNK_BYTES }
    },

    async chunk({ id, offset, data }: { id: string; offset: number; data: string }) {
      const u = mustGet(id)
      failed(id, u)
      if (u.writing) throw new OtaError('CONFLICT', `A chunk of ${u.name} is still being sent; send chunks one after another.`)
      if (offset !== u.received) {
        throw new OtaError(
          'INVALID_INPUT',
          `The chunk starts at byte ${offset}, but ${u.received} bytes of ${u.name} have arrived so far: send the chunk that starts at byte ${u.received}.`
        )
      }
      const bytes = Buffer.from(data, 'base64')
      if (u.received + bytes.length > u.size) {
        throw new OtaError('INVALID_INPUT', `The chunk ends at byte ${u.received + bytes.length}, past the ${u.size} bytes announced for ${u.name}.`)
      }
      u.writing = true
      armIdle(u)
      try {
        u.hash.update(bytes)
        u.received += bytes.length
        if (!u.body.write(bytes)) await Promise.race([once(u.body, 'drain'), u.settled])
      } catch {
        // The stream failed with the request; the request's own error says why.
        await u.settled
      } finally {
        u.writing = false
      }
      failed(id, u)
      armIdle(u)
      return { received: u.received }
    },

    async finish({ id }: { id: string }) {
      const u = mustGet(id)
      failed(id, u)
      if (u.received !== u.size) throw new OtaError('INVALID_INPUT', `Only ${u.received} of the ${u.size} bytes of ${u.name} have arrived.`)
      clearTimeout(u.idle)
      u.body.end()
      try {
        const artifact = await u.answer
        const sha256 = u.hash.digest('hex')
        if (artifact.sha256 !== sha256 || artifact.size !== u.size) {
          throw new OtaError(
            'BACKEND_ERROR',
            `The backend stored ${artifact.size} bytes with sha256 ${artifact.sha256}, but this console sent ${u.size} bytes with sha256 ${sha256}; do not release it.`
          )
        }
        return artifact
      } finally {
        end(id, u)
      }
    },

    /** Aborts the request and waits until it is closed; canceling twice is fine. */
    async cancel({ id }: { id: string }) {
      const u = uploads.get(id)
      if (!u) return
      fail(u, new OtaError('CANCELED', `The upload of ${u.name} was canceled.`))
      await u.settled
      end(id, u)
    },

    async close() {
      await Promise.all([...uploads.keys()].map((id) => this.cancel({ id })))
    }
  }
}
export type Uploads = ReturnType<typeof createUploads>
