/**
 * The one-file container of offline bundles and workshop results files:
 *
 *   "OTAB" | version u16 BE | 0 u16 | header length u32 BE | header (UTF-8 JSON) | blob | blob | …
 *
 * The header is an envelope {signed, signatures}; `signed.blobs` names each blob with its length
 * and sha256 in file order, so one signature covers every byte, and a reader checks the header
 * before it reads (or trusts) anything that follows. Layout only: hashing and signatures are the
 * caller's (the backend and the console each use Node's crypto).
 */
export const CONTAINER_MAGIC = [0x4f, 0x54, 0x41, 0x42] as const // "OTAB"
export const CONTAINER_VERSION = 1
export const PREFIX_LEN = 12
/** A header holds the manifest (vehicles, TUF metadata), never firmware: 64 MiB is plenty. */
export const MAX_HEADER_BYTES = 64 * 1024 * 1024

export interface BlobEntry {
  name: string
  length: number
  sha256: string
}
export interface BlobRange extends BlobEntry {
  offset: number
}

/** Why a file is not a readable container; `check` names the check that failed. */
export class ContainerError extends Error {
  constructor(
    readonly check: 'container' | 'format',
    message: string
  ) {
    super(message)
  }
}

export function encodePrefix(headerLength: number): Uint8Array {
  const out = new Uint8Array(PREFIX_LEN)
  out.set(CONTAINER_MAGIC, 0)
  const view = new DataView(out.buffer)
  view.setUint16(4, CONTAINER_VERSION)
  view.setUint32(8, headerLength)
  return out
}

/** The header's length, from the first PREFIX_LEN bytes of a file of `fileLength` bytes. */
export function decodePrefix(prefix: Uint8Array, fileLength: number): number {
  if (fileLength < PREFIX_LEN || prefix.length < PREFIX_LEN)
    throw new ContainerError('container', `The file has ${fileLength} bytes: too short to be an offline bundle or results file.`)
  if (!CONTAINER_MAGIC.every((b, i) => prefix[i] === b)) throw new ContainerError('container', 'The file is not an offline bundle or results file (it does not start with OTAB).')
  const view = new DataView(prefix.buffer, prefix.byteOffset, PREFIX_LEN)
  const version = view.getUint16(4)
  if (version !== CONTAINER_VERSION) {
    throw new ContainerError(
      'format',
      `The file is in format version ${version}; this console reads version ${CONTAINER_VERSION}. Use a console of the same version as the backend that made it.`
    )
  }
  const headerLength = view.getUint32(8)
  if (headerLength === 0 || headerLength > MAX_HEADER_BYTES)
    throw new ContainerError('container', `The file's header claims ${headerLength} bytes, outside 1 to ${MAX_HEADER_BYTES}.`)
  if (PREFIX_LEN + headerLength > fileLength) {
    throw new ContainerError('container', `The file is truncated: it has ${fileLength} bytes, but its header alone needs ${PREFIX_LEN + headerLength}.`)
  }
  return headerLength
}

/** Parses the header's JSON; what it must contain is the caller's schema. */
export function decodeHeader(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown
  } catch {
    throw new ContainerError('container', "The file's header is not JSON: the file is damaged or altered.")
  }
}

export const encodeHeader = (header: unknown) => new TextEncoder().encode(JSON.stringify(header))

/** Where each blob lies, checked against the file's length: a truncated or padded file is refused. */
export function blobRanges(headerLength: number, blobs: readonly BlobEntry[], fileLength: number): BlobRange[] {
  let offset = PREFIX_LEN + headerLength
  const ranges = blobs.map((b) => {
    const range = { ...b, offset }
    offset += b.length
    return range
  })
  if (offset > fileLength) throw new ContainerError('container', `The file is truncated: it has ${fileLength} bytes, but the blobs its header lists end at byte ${offset}.`)
  if (offset < fileLength) throw new ContainerError('container', `The file has ${fileLength - offset} bytes after its last blob: it was altered.`)
  return ranges
}
