import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, stat, writeFile } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { blobRanges, ContainerError, decodeHeader, decodePrefix, encodeHeader, encodePrefix, PREFIX_LEN, type BlobEntry, type BlobRange } from '../../shared/bundle/container'
import { Envelope } from '../../shared/bundle/manifest'

/** A container file's header, read and parsed; its blobs stay on disk until asked for. */
export interface OpenedContainer {
  path: string
  size: number
  envelope: Envelope
  ranges(blobs: readonly BlobEntry[]): BlobRange[]
}

async function readAt(path: string, offset: number, length: number) {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(length)
    const { bytesRead } = await handle.read(buffer, 0, length, offset)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** Reads the prefix and header of a container file; throws ContainerError saying what is wrong. */
export async function openContainer(path: string): Promise<OpenedContainer> {
  const { size } = await stat(path)
  const headerLength = decodePrefix(await readAt(path, 0, PREFIX_LEN), size)
  const parsed = Envelope.safeParse(decodeHeader(await readAt(path, PREFIX_LEN, headerLength)))
  if (!parsed.success) throw new ContainerError('container', "The file's header is not a signed envelope: the file is damaged or altered.")
  return { path, size, envelope: parsed.data, ranges: (blobs) => blobRanges(headerLength, blobs, size) }
}

/** One blob's bytes as a stream, read from the file as they are needed. */
export const blobStream = (path: string, range: BlobRange): Readable =>
  range.length === 0 ? Readable.from([]) : createReadStream(path, { start: range.offset, end: range.offset + range.length - 1 })

export async function blobSha256(path: string, range: BlobRange) {
  const hash = createHash('sha256')
  for await (const chunk of blobStream(path, range)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Writes a container with no blobs (a results file). */
export async function writeHeaderOnly(path: string, envelope: Envelope) {
  const header = encodeHeader(envelope)
  await writeFile(path, Buffer.concat([encodePrefix(header.length), header]), { mode: 0o600 })
}
