import { randomBytes } from 'node:crypto'
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-dir'
import { createFileBlobs } from '../catalog/file-blobs'
import { openSealed, sealStream } from './sealed'

const key = randomBytes(32)
const read = async (stream: Readable) => {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

describe('a sealed blob', () => {
  const dir = tempDir('ota-sealed')
  const files = createFileBlobs(dir.dir)
  afterAll(() => dir.remove())
  const seal = async (name: string, plain: Buffer) => {
    const path = join(dir.dir, name)
    await pipeline(Readable.from(plain.length ? [plain] : []), sealStream(key), createWriteStream(path))
    return name
  }

  it.each([0, 1, 70_000])('opens to the %i bytes sealed', async (size) => {
    const plain = randomBytes(size)
    expect(await read(await openSealed(files, await seal(`plain-${size}`, plain), key))).toEqual(plain)
  })

  it('errors when its tag was altered, also when empty', async () => {
    const path = join(dir.dir, await seal('altered', Buffer.alloc(0)))
    const bytes = readFileSync(path)
    bytes[bytes.length - 1]! ^= 1
    writeFileSync(path, bytes)
    await expect(read(await openSealed(files, 'altered', key))).rejects.toThrow(/authenticate/)
  })
})
