import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applyDelta, DeltaError, makeDelta, readDeltaHeader } from './image-delta'

/** An image whose bytes repeat the way code does, so a change is a change and not noise. */
const image = (bytes: number, seed = 1) => {
  const out = Buffer.alloc(bytes)
  let x = seed
  for (let i = 0; i < bytes; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = (x >>> 24) & 0x3f
  }
  return out
}

describe('image deltas (zstd patch mode)', () => {
  const source = image(1024 * 1024)
  const target = Buffer.concat([source.subarray(0, 300_000), randomBytes(4096), source.subarray(300_000 + 2048)])

  it('rebuilds the target from the source, in far fewer bytes than the image', async () => {
    const delta = await makeDelta(source, target)
    expect(delta.length).toBeLessThan(target.length / 50)
    expect((await applyDelta(source, delta)).equals(target)).toBe(true)
    expect(readDeltaHeader(delta)).toMatchObject({ targetBytes: target.length })
  })

  it('refuses another source before decoding, and a damaged delta or a wrong result, each by its reason', async () => {
    const delta = await makeDelta(source, target)
    await expect(applyDelta(image(1024 * 1024, 2), delta)).rejects.toMatchObject({ reason: 'wrong-source' })
    const damaged = Buffer.from(delta)
    damaged[damaged.length - 10]! ^= 0xff
    await expect(applyDelta(source, damaged)).rejects.toBeInstanceOf(DeltaError)
    const lying = Buffer.from(delta)
    lying[8 + 32]! ^= 1 // the target hash in the header
    await expect(applyDelta(source, lying)).rejects.toMatchObject({ reason: 'wrong-target' })
    await expect(applyDelta(source, Buffer.from('not a delta at all, just bytes'))).rejects.toMatchObject({ reason: 'not-a-delta' })
  })
})
