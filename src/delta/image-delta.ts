import { createHash } from 'node:crypto'
import { constants, zstdCompress, zstdDecompress } from 'node:zlib'
import { promisify } from 'node:util'

const compress = promisify(zstdCompress)
const decompress = promisify(zstdDecompress)

/**
 * Binary deltas between firmware images: zstd's patch mode (the source image as the compressor's
 * dictionary, long-distance matching over a window that holds both images), through Node's own
 * zstd. A delta begins with a header that names the source and target images by their SHA-256,
 * so a vehicle holding another image finds out before decoding, not after.
 */
const MAGIC = Buffer.from('OTADZ1\0\0')
const HEADER = MAGIC.length + 32 + 32 + 8
/** Images up to 1 GiB: zstd's window must cover the source and the target, so 2^31 at most. */
export const MAX_IMAGE_BYTES = 1024 ** 3

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest()
const windowLogFor = (bytes: number) => Math.max(20, Math.min(31, Math.ceil(Math.log2(bytes + 1))))

export interface DeltaHeader {
  sourceSha256: string
  targetSha256: string
  targetBytes: number
}

export class DeltaError extends Error {
  constructor(
    readonly reason: 'not-a-delta' | 'wrong-source' | 'corrupt' | 'wrong-target',
    message: string
  ) {
    super(message)
  }
}

/** What a delta rebuilds, and from what; throws DeltaError when the bytes are no delta of ours. */
export function readDeltaHeader(delta: Uint8Array): DeltaHeader {
  if (delta.length < HEADER || !Buffer.from(delta.subarray(0, MAGIC.length)).equals(MAGIC)) throw new DeltaError('not-a-delta', 'not an image delta (no OTADZ1 header)')
  const view = Buffer.from(delta.buffer, delta.byteOffset, delta.byteLength)
  return {
    sourceSha256: view.subarray(MAGIC.length, MAGIC.length + 32).toString('hex'),
    targetSha256: view.subarray(MAGIC.length + 32, MAGIC.length + 64).toString('hex'),
    targetBytes: Number(view.readBigUInt64BE(MAGIC.length + 64))
  }
}

/** The delta that turns `source` into `target`; level 19 because a delta is made once and downloaded by many. */
export async function makeDelta(source: Uint8Array, target: Uint8Array, level = 19): Promise<Buffer> {
  if (source.length > MAX_IMAGE_BYTES || target.length > MAX_IMAGE_BYTES) throw new RangeError(`images above ${MAX_IMAGE_BYTES} bytes get no delta`)
  const header = Buffer.alloc(HEADER)
  MAGIC.copy(header)
  sha256(source).copy(header, MAGIC.length)
  sha256(target).copy(header, MAGIC.length + 32)
  header.writeBigUInt64BE(BigInt(target.length), MAGIC.length + 64)
  const windowLog = windowLogFor(source.length + target.length)
  const body = await compress(target, {
    dictionary: source,
    params: {
      [constants.ZSTD_c_compressionLevel]: level,
      [constants.ZSTD_c_windowLog]: windowLog,
      // Match tables sized to the whole source: level 19's own stop at 16 MiB, and a 32 MiB
      // image's delta came out 7 % larger than with these (bench/delta.ts).
      [constants.ZSTD_c_chainLog]: Math.min(windowLog, 27),
      [constants.ZSTD_c_hashLog]: Math.min(windowLog - 1, 26),
      [constants.ZSTD_c_enableLongDistanceMatching]: 1
    }
  })
  return Buffer.concat([header, body])
}

/**
 * Rebuilds the target from `source` and the delta. Refuses a delta made from another source
 * before decoding, and a rebuilt image that is not the one the header names (the caller still
 * checks it against the signed metadata, which is what it trusts).
 */
export async function applyDelta(source: Uint8Array, delta: Uint8Array): Promise<Buffer> {
  const header = readDeltaHeader(delta)
  if (sha256(source).toString('hex') !== header.sourceSha256)
    throw new DeltaError('wrong-source', `the delta is from image ${header.sourceSha256.slice(0, 12)}…, not from the one held here`)
  if (header.targetBytes > MAX_IMAGE_BYTES) throw new DeltaError('corrupt', `the delta claims a ${header.targetBytes}-byte image`)
  let target: Buffer
  try {
    target = await decompress(delta.subarray(HEADER), {
      dictionary: source,
      maxOutputLength: header.targetBytes,
      params: { [constants.ZSTD_d_windowLogMax]: windowLogFor(source.length + header.targetBytes) }
    })
  } catch (err) {
    throw new DeltaError('corrupt', `the delta does not decode: ${(err as Error).message}`)
  }
  if (target.length !== header.targetBytes || sha256(target).toString('hex') !== header.targetSha256) {
    throw new DeltaError('wrong-target', 'the rebuilt image is not the one the delta names')
  }
  return target
}
