import { createHash, randomBytes } from 'node:crypto'
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand
} from '@aws-sdk/client-s3'
import { Writable, type Readable } from 'node:stream'
import type { BlobBackend } from './blob-store'

export interface S3Options {
  /** The store's URL (https://s3.eu-central-1.amazonaws.com, or an S3-compatible server's). */
  endpoint: string
  bucket: string
  region?: string
  /** Without them, the SDK's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, a role). */
  credentials?: { accessKeyId: string; secretAccessKey: string }
  /** Names are put under it (a bucket shared with other data); none unless set. */
  prefix?: string
}

/** Parts of a multipart upload: S3's minimum is 5 MiB but for the last. */
export const PART_BYTES = 8 * 1024 * 1024

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest()

/**
 * A multipart upload as a Writable: each full part goes out with its Content-MD5, which the store
 * checks (BadDigest otherwise), before more is taken; at the end the store's ETag for the whole
 * object must be the MD5 of the parts' MD5s, so the store has every byte as sent.
 */
function multipartWriter(s3: S3Client, bucket: string, key: string) {
  let uploadId: string | undefined
  const parts: { PartNumber: number; ETag: string }[] = []
  const digests: Buffer[] = []
  let pending: Buffer[] = []
  let pendingBytes = 0

  const sendPart = async (body: Buffer) => {
    uploadId ??= (await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId
    const digest = md5(body)
    const PartNumber = parts.length + 1
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body, ContentMD5: digest.toString('base64') }))
    parts.push({ PartNumber, ETag: ETag! })
    digests.push(digest)
  }
  const take = () => {
    const body = Buffer.concat(pending)
    pending = []
    pendingBytes = 0
    return body
  }

  const stream = new Writable({
    highWaterMark: PART_BYTES,
    write(chunk: Buffer, _enc, done) {
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < PART_BYTES) return done()
      sendPart(take()).then(() => done(), done)
    },
    final(done) {
      const finish = async () => {
        const last = take()
        if (!uploadId) {
          // Small enough for one request: a plain PUT, checked by its Content-MD5.
          const digest = md5(last)
          const { ETag } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: last, ContentMD5: digest.toString('base64') }))
          if (ETag?.replace(/"/g, '') !== digest.toString('hex')) throw new Error(`the object store stored ${key} as ${ETag}, not the bytes sent`)
          return
        }
        if (last.length) await sendPart(last)
        const { ETag } = await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }))
        const expected = `${md5(Buffer.concat(digests)).toString('hex')}-${parts.length}`
        if (ETag?.replace(/"/g, '') !== expected) throw new Error(`the object store assembled ${key} as ${ETag}, not the ${parts.length} parts sent (${expected})`)
      }
      finish().then(() => done(), done)
    },
    destroy(err, done) {
      // A failed upload leaves no parts behind to pay for; a finished one is left alone.
      if (!uploadId || !err) return done(err)
      s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).then(
        () => done(err),
        () => done(err)
      )
    }
  })
  return stream
}

const missing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } }
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404
}

/** Blobs in an S3-compatible object store: streamed in by multipart upload, read by ranged GET. */
export async function createS3Blobs(opts: S3Options): Promise<BlobBackend> {
  const s3 = new S3Client({
    endpoint: opts.endpoint,
    region: opts.region ?? 'us-east-1',
    forcePathStyle: true,
    credentials: opts.credentials,
    // Content-MD5 is what every S3-compatible store checks; the newer CRC checksums are not everywhere.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED'
  })
  const bucket = opts.bucket
  const key = (name: string) => `${opts.prefix ?? ''}${name}`
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }))
  } catch (err) {
    if (!missing(err)) throw new Error(`the object store at ${opts.endpoint} refused bucket ${bucket}: ${(err as Error).message || (err as Error).name}`, { cause: err })
    await s3.send(new CreateBucketCommand({ Bucket: bucket }))
  }

  return {
    describe: `bucket ${bucket} at ${opts.endpoint}`,
    create() {
      const tmp = key(`tmp/${randomBytes(12).toString('hex')}`)
      return {
        stream: multipartWriter(s3, bucket, tmp),
        async keep(name) {
          const final = key(name)
          // The same name is the same content: the copy already there stays.
          const exists = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: final })).then(
            () => true,
            (err: unknown) => (missing(err) ? false : Promise.reject(err))
          )
          if (!exists) await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: final, CopySource: `${bucket}/${tmp}` }))
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: tmp }))
        },
        discard: async () => void (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: tmp })).catch(() => undefined))
      }
    },
    async read(name, range) {
      const answer = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key(name), Range: range && `bytes=${range.start}-${range.end}` }))
      return answer.Body as Readable
    },
    size: async (name) => Number((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key(name) }))).ContentLength),
    remove: async (name) => void (await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key(name) }))),
    reachable: async () => void (await s3.send(new HeadBucketCommand({ Bucket: bucket })))
  }
}
