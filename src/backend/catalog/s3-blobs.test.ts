import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startS3, type RunningS3 } from '../../../test/support/s3proxy'
import { openSealed } from '../crypto/sealed'
import { createBlobStore, TooLargeError, type BlobStore } from './blob-store'
import { createS3Blobs, PART_BYTES } from './s3-blobs'

const read = async (stream: Readable) => {
  const parts: Buffer[] = []
  for await (const part of stream) parts.push(part as Buffer)
  return Buffer.concat(parts)
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

// The blob store on a real S3-compatible server (S3Proxy): a firmware image streams in as a
// multipart upload whose every part the server checks by its Content-MD5, is found by its hash,
// reads back whole and by range, and an upload that fails leaves nothing behind.
describe('blobs in an S3-compatible object store', () => {
  let s3: RunningS3
  let blobs: BlobStore
  const key = randomBytes(32)

  beforeAll(async () => {
    s3 = await startS3()
    blobs = createBlobStore(await createS3Blobs(s3.options('firmware')))
  }, 90_000)
  afterAll(async () => s3?.stop())

  it('streams an image of several parts in, sealed, and opens it again whole and by range', async () => {
    const image = randomBytes(2 * PART_BYTES + 12_345)
    // Pieces of odd sizes, as a network delivers them.
    const pieces = Array.from({ length: 40 }, (_, i) => image.subarray((i * image.length) / 40, ((i + 1) * image.length) / 40))
    const stored = await blobs.putPlain(Readable.from(pieces), key, 1e9)
    expect(stored).toEqual({ sha256: sha(image), size: image.length })
    const name = blobs.uploadName(stored.sha256)
    expect(sha(await read(await openSealed(blobs, name, key)))).toBe(sha(image))
    const sealedSize = await blobs.size(name)
    expect(sealedSize).toBeGreaterThan(image.length)
    expect((await read(await blobs.read(name, { start: 10, end: 19 }))).length).toBe(10)
    // The object sits under its hash.
    expect(existsSync(join(s3.dir, 'firmware', 'uploads', stored.sha256))).toBe(true)
  })

  it('keeps a small image in one request, and the same image twice as one object', async () => {
    const image = randomBytes(1000)
    const first = await blobs.putSealedFor('model_a', Readable.from([image]), key)
    const again = await blobs.putPlain(Readable.from([image]), key, 1e6)
    expect(await read(await openSealed(blobs, blobs.publishedName('model_a', first.sha256), key))).toEqual(image)
    expect((await blobs.putPlain(Readable.from([image]), key, 1e6)).sha256).toBe(again.sha256)
    await blobs.remove(blobs.publishedName('model_a', first.sha256))
    await expect(blobs.size(blobs.publishedName('model_a', first.sha256))).rejects.toThrow()
  })

  it('leaves no object and no open multipart upload behind when an upload fails or is too large', async () => {
    const broken = new Readable({ read() {} })
    broken.push(randomBytes(PART_BYTES + 10))
    setTimeout(() => broken.destroy(new Error('the client went away')), 50)
    await expect(blobs.putPlain(broken, key, 1e9)).rejects.toThrow('the client went away')
    await expect(blobs.putPlain(Readable.from([randomBytes(PART_BYTES * 2)]), key, PART_BYTES)).rejects.toBeInstanceOf(TooLargeError)
    const client = new S3Client({ endpoint: s3.options('firmware').endpoint, region: 'us-east-1', forcePathStyle: true, credentials: s3.options('firmware').credentials })
    await expect.poll(async () => (await client.send(new ListMultipartUploadsCommand({ Bucket: 'firmware' }))).Uploads ?? [], { timeout: 5000 }).toEqual([])
    const tmp = join(s3.dir, 'firmware', 'tmp')
    expect(existsSync(tmp) ? readdirSync(tmp) : []).toEqual([])
  })
})
