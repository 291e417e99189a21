/** What the codec fuzz tests share: a seeded generator, byte mutations, and byte comparison. */

/** Seeded so a failure reproduces; mulberry32. */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** One to three random edits of a well-formed frame: a byte changed, inserted or removed, or the tail cut. */
export function mutate(random: () => number, frame: Uint8Array): Uint8Array {
  const bytes = [...frame]
  const edits = 1 + Math.floor(random() * 3)
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(random() * (bytes.length + 1))
    const choice = random()
    if (choice < 0.4 && bytes.length > 0) bytes[at % bytes.length] = Math.floor(random() * 256)
    else if (choice < 0.6) bytes.splice(at, 0, Math.floor(random() * 256))
    else if (choice < 0.8) bytes.length = at
    else bytes.splice(at, 1)
  }
  return Uint8Array.from(bytes)
}

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((byte, i) => byte === b[i])
