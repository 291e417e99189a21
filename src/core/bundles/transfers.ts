import { randomBytes } from 'node:crypto'
import { mkdirSync, rmSync } from 'node:fs'
import { open, rm, stat, writeFile, appendFile } from 'node:fs/promises'
import { join } from 'node:path'
import { UPLOAD_CHUNK_BYTES } from '../../shared/calls/firmware'
import { OtaError } from '../../shared/errors'

interface Held {
  name: string
  path: string
  /** Announced size while it arrives; undefined once complete. */
  expected?: number
  received: number
  busy: boolean
}

/**
 * Files between the renderer and the core, which the browser host cannot hand over as paths:
 * one coming in (a bundle, a results file) arrives in base64 chunks, one going out (an exported
 * bundle or results file) is read in chunks. They live in DATA/bundles/transfers, emptied on
 * start and close.
 */
export function createTransfers(dataDir: string) {
  const dir = join(dataDir, 'bundles', 'transfers')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const files = new Map<string, Held>()
  const newId = () => `fil_${randomBytes(8).toString('hex')}`
  const mustGet = (fileId: string) => {
    const f = files.get(fileId)
    if (!f) throw new OtaError('NOT_FOUND', `No file ${fileId} is held (it was discarded, or the console restarted).`)
    return f
  }
  const complete = (fileId: string) => {
    const f = mustGet(fileId)
    if (f.expected !== undefined) throw new OtaError('CONFLICT', `${f.name} has not fully arrived: ${f.received} of ${f.expected} bytes.`)
    return f
  }

  return {
    /** A fresh path for a file the core makes; `adopt` then hands it out. */
    pathFor: (name: string) => join(dir, `${newId()}-${name.replace(/[^\w.-]/g, '_')}`),
    async adopt(path: string, name: string) {
      const fileId = newId()
      const { size } = await stat(path)
      files.set(fileId, { name, path, received: size, busy: false })
      return { fileId, name, size }
    },
    async begin({ name, size }: { name: string; size: number }) {
      const fileId = newId()
      const path = join(dir, fileId)
      await writeFile(path, Buffer.alloc(0), { mode: 0o600 })
      files.set(fileId, { name, path, expected: size, received: 0, busy: false })
      return { fileId, chunkBytes: UPLOAD_CHUNK_BYTES }
    },
    async chunk({ fileId, offset, data }: { fileId: string; offset: number; data: string }) {
      const f = mustGet(fileId)
      if (f.expected === undefined) throw new OtaError('CONFLICT', `${f.name} is complete; it takes no more chunks.`)
      if (f.busy) throw new OtaError('CONFLICT', `A chunk of ${f.name} is still being written; send chunks one after another.`)
      if (offset !== f.received)
        throw new OtaError(
          'INVALID_INPUT',
          `The chunk starts at byte ${offset}, but ${f.received} bytes of ${f.name} have arrived: send the chunk that starts at byte ${f.received}.`
        )
      const bytes = Buffer.from(data, 'base64')
      if (f.received + bytes.length > f.expected)
        throw new OtaError('INVALID_INPUT', `The chunk ends at byte ${f.received + bytes.length}, past the ${f.expected} bytes announced for ${f.name}.`)
      f.busy = true
      try {
        await appendFile(f.path, bytes)
        f.received += bytes.length
      } finally {
        f.busy = false
      }
      return { received: f.received }
    },
    finish({ fileId }: { fileId: string }) {
      const f = mustGet(fileId)
      if (f.expected !== undefined && f.received !== f.expected) throw new OtaError('INVALID_INPUT', `Only ${f.received} of the ${f.expected} bytes of ${f.name} have arrived.`)
      f.expected = undefined
      return { fileId, name: f.name, size: f.received }
    },
    /** A complete file's path, for the service to read. */
    path: (fileId: string) => complete(fileId).path,
    async read({ fileId, offset }: { fileId: string; offset: number }) {
      const f = complete(fileId)
      const handle = await open(f.path, 'r')
      try {
        const buffer = Buffer.alloc(Math.max(0, Math.min(UPLOAD_CHUNK_BYTES, f.received - offset)))
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
        return { data: buffer.subarray(0, bytesRead).toString('base64'), done: offset + bytesRead >= f.received }
      } finally {
        await handle.close()
      }
    },
    async discard({ fileId }: { fileId: string }) {
      const f = files.get(fileId)
      files.delete(fileId)
      if (f) await rm(f.path, { force: true })
    },
    close() {
      files.clear()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
