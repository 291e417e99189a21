// A delta update's size and speed: a 32 MiB image of real machine code and its next version (a
// few scattered 4 KiB regions rewritten, code inserted and removed so everything after it
// shifts), our zstd patch-mode delta beside Debian's xdelta3 (VCDIFF) on the same pair, in the
// same run.
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { applyDelta, makeDelta } from '../src/delta/image-delta'
import { tempDir } from '../test/support/temp-dir'

const quick = process.argv.includes('--quick')
const MiB = 1024 * 1024
const SIZE = (quick ? 4 : 32) * MiB

/** A seeded generator, so every run changes the same places. */
function generator(seed: number) {
  let x = seed >>> 0
  return () => ((x = (x * 1664525 + 1013904223) >>> 0), x)
}

/**
 * Real machine code and data: the image is the first SIZE bytes of the Node binary running this
 * (x86-64 code, tables, strings), and the new code the next version brings comes from further
 * into it, so neither the delta nor xdelta3 meets bytes easier than a firmware's.
 */
const binary = readFileSync(process.execPath)
if (binary.length < 2 * SIZE) throw new Error(`${process.execPath} is smaller than the ${(2 * SIZE) / MiB} MiB this bench takes code from`)

/** The next version: six rewritten 4 KiB regions, 3 KiB of code inserted at a third, 1.5 KiB removed at two thirds. */
function nextVersion(image: Buffer) {
  const next = generator(7)
  let fresh = SIZE + MiB
  const newCode = (n: number) => {
    const code = binary.subarray(fresh, fresh + n)
    fresh += n + 64 * 1024
    return code
  }
  const changed = Buffer.from(image)
  for (let i = 0; i < 6; i++) newCode(4096).copy(changed, (next() % (changed.length / 4096 - 1)) * 4096)
  const third = Math.floor(changed.length / 3)
  const twoThirds = Math.floor((2 * changed.length) / 3)
  return Buffer.concat([changed.subarray(0, third), newCode(3072), changed.subarray(third, twoThirds), changed.subarray(twoThirds + 1536)])
}

async function main() {
  const data = tempDir('ota-bench-delta')
  try {
    const source = Buffer.from(binary.subarray(0, SIZE))
    const target = nextVersion(source)
    const files = { source: join(data.dir, 'v1.bin'), target: join(data.dir, 'v2.bin'), vcdiff: join(data.dir, 'v1-v2.vcdiff'), rebuilt: join(data.dir, 'xdelta-rebuilt.bin') }
    writeFileSync(files.source, source)
    writeFileSync(files.target, target)

    let t0 = performance.now()
    const delta = await makeDelta(source, target)
    const makeS = (performance.now() - t0) / 1000
    t0 = performance.now()
    const rebuilt = await applyDelta(source, delta)
    const applyS = (performance.now() - t0) / 1000

    // xdelta3 at its best compression, its source window covering the whole image.
    t0 = performance.now()
    execFileSync('xdelta3', ['-e', '-9', '-f', '-B', String(2 * SIZE), '-s', files.source, files.target, files.vcdiff])
    const xdeltaMakeS = (performance.now() - t0) / 1000
    t0 = performance.now()
    execFileSync('xdelta3', ['-d', '-f', '-B', String(2 * SIZE), '-s', files.source, files.vcdiff, files.rebuilt])
    const xdeltaApplyS = (performance.now() - t0) / 1000
    const xdeltaBytes = statSync(files.vcdiff).size
    if (!readFileSync(files.rebuilt).equals(target)) throw new Error('xdelta3 did not rebuild the target')

    const round = (n: number, places = 3) => Math.round(n * 10 ** places) / 10 ** places
    console.log(
      JSON.stringify({
        image_mib: SIZE / MiB,
        delta_bytes: delta.length,
        full_bytes: target.length,
        xdelta3_bytes: xdeltaBytes,
        size_vs_xdelta3: round(delta.length / xdeltaBytes),
        saved_pct: round((1 - delta.length / target.length) * 100, 2),
        make_s: round(makeS),
        apply_s: round(applyS),
        xdelta3_make_s: round(xdeltaMakeS),
        xdelta3_apply_s: round(xdeltaApplyS),
        apply_ok: rebuilt.equals(target)
      })
    )
  } finally {
    data.remove()
  }
}

main().catch((err: Error) => {
  console.error(err)
  process.exit(1)
})
