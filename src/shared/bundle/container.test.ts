import { describe, expect, it } from 'vitest'
import { blobRanges, ContainerError, decodeHeader, decodePrefix, encodeHeader, encodePrefix, PREFIX_LEN } from './container'

const file = (header: unknown, blobs: Uint8Array[]) => {
  const h = encodeHeader(header)
  return Buffer.concat([encodePrefix(h.length), h, ...blobs])
}
const failure = (run: () => unknown) => {
  try {
    run()
  } catch (err) {
    return { check: (err as ContainerError).check, message: (err as Error).message }
  }
  throw new Error('expected a ContainerError')
}

describe('the bundle container', () => {
  it('round-trips a header and locates each blob after it, byte-exact', () => {
    const blobs = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array([9])]
    const entries = [
      { name: 'a', length: 3, sha256: 'x' },
      { name: 'b', length: 0, sha256: 'y' },
      { name: 'c', length: 1, sha256: 'z' }
    ]
    const bytes = file({ signed: { blobs: entries }, signatures: [] }, blobs)
    expect([...bytes.subarray(0, PREFIX_LEN)].slice(0, 8)).toEqual([0x4f, 0x54, 0x41, 0x42, 0, 1, 0, 0])
    const headerLength = decodePrefix(bytes.subarray(0, PREFIX_LEN), bytes.length)
    expect(decodeHeader(bytes.subarray(PREFIX_LEN, PREFIX_LEN + headerLength))).toEqual({ signed: { blobs: entries }, signatures: [] })
    const ranges = blobRanges(headerLength, entries, bytes.length)
    expect(ranges.map((r) => [...bytes.subarray(r.offset, r.offset + r.length)])).toEqual([[1, 2, 3], [], [9]])
  })

  it('refuses what is not a container, another format version, a truncated or padded file, each saying so', () => {
    const bytes = file({ signed: {}, signatures: [] }, [new Uint8Array(10)])
    const headerLength = decodePrefix(bytes.subarray(0, PREFIX_LEN), bytes.length)
    const entries = [{ name: 'p', length: 10, sha256: 'x' }]

    expect(failure(() => decodePrefix(Buffer.from('PK\u0003\u0004 not a bundle'), 18))).toEqual({
      check: 'container',
      message: 'The file is not an offline bundle or results file (it does not start with OTAB).'
    })
    expect(failure(() => decodePrefix(bytes.subarray(0, 5), 5)).message).toBe('The file has 5 bytes: too short to be an offline bundle or results file.')
    const v2 = Buffer.from(bytes)
    v2[5] = 2
    expect(failure(() => decodePrefix(v2.subarray(0, PREFIX_LEN), v2.length))).toEqual({
      check: 'format',
      message: 'The file is in format version 2; this console reads version 1. Use a console of the same version as the backend that made it.'
    })
    expect(failure(() => decodePrefix(bytes.subarray(0, PREFIX_LEN), PREFIX_LEN + 3)).message).toMatch(/^The file is truncated: it has 15 bytes, but its header alone needs \d+\.$/)
    expect(failure(() => blobRanges(headerLength, entries, bytes.length - 4)).message).toBe(
      `The file is truncated: it has ${bytes.length - 4} bytes, but the blobs its header lists end at byte ${bytes.length}.`
    )
    expect(failure(() => blobRanges(headerLength, entries, bytes.length + 2)).message).toBe('The file has 2 bytes after its last blob: it was altered.')
    expect(failure(() => decodeHeader(new Uint8Array([0x7b, 0xff])))).toEqual({ check: 'container', message: "The file's header is not JSON: the file is damaged or altered." })
  })
})
