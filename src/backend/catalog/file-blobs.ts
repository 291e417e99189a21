import { randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream, existsSync, mkdirSync } from 'node:fs'
import { mkdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { BlobBackend } from './blob-store'

// Network chunks are ~16 KiB; a deep write buffer lets the file stream batch them into large
// writev calls instead of one thread-pool round trip per chunk (4x the throughput, measured).
const WRITE_BUFFER = 8 * 1024 * 1024

/** Blobs as files under one directory (0700, files 0600): the embedded default. */
export function createFileBlobs(root: string): BlobBackend {
  mkdirSync(join(root, 'tmp'), { recursive: true, mode: 0o700 })
  const path = (name: string) => join(root, name)
  return {
    describe: `files in ${root}`,
    create() {
      const tmp = join(root, 'tmp', randomBytes(12).toString('hex'))
      return {
        stream: createWriteStream(tmp, { mode: 0o600, highWaterMark: WRITE_BUFFER }),
        async keep(name) {
          const final = path(name)
          await mkdir(dirname(final), { recursive: true, mode: 0o700 })
          // The same name is the same content: the copy already there stays.
          if (existsSync(final)) await rm(tmp)
          else await rename(tmp, final)
        },
        discard: () => rm(tmp, { force: true })
      }
    },
    read: async (name, range) => createReadStream(path(name), range),
    size: async (name) => (await stat(path(name))).size,
    remove: (name) => rm(path(name), { force: true }),
    reachable: async () => void (await stat(root))
  }
}
