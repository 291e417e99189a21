// Upload + hash + encrypt throughput over HTTPS, as a ratio to `sha256sum` on the same file.
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, createReadStream, openSync, readFileSync, writeSync } from 'node:fs'
import { request } from 'node:https'
import { join } from 'node:path'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, quick } from './lib/support'

const SIZE = quick ? 32 * 1024 ** 2 : Number(process.env.BENCH_BYTES ?? 1024 ** 3)

async function main() {
  const dir = tempDir('ota-bench-upload')
  const file = join(dir.dir, 'firmware.bin')
  const fd = openSync(file, 'w')
  const block = randomBytes(4 * 1024 ** 2)
  for (let written = 0; written < SIZE; written += block.length) writeSync(fd, block, 0, Math.min(block.length, SIZE - written))
  closeSync(fd)

  execFileSync('sha256sum', [file]) // warm the page cache so both runs read from memory
  let t = performance.now()
  execFileSync('sha256sum', [file])
  const sha256sumSeconds = (performance.now() - t) / 1000

  const backend = await backendProcess(join(dir.dir, 'backend'))
  const ca = readFileSync(backend.ca, 'utf8')
  t = performance.now()
  const status = await new Promise<number>((resolve, reject) => {
    const req = request(
      `${backend.url}/api/v1/artifacts`,
      { method: 'POST', ca, headers: { authorization: `Bearer ${backend.token}`, 'content-type': 'application/octet-stream', 'content-length': SIZE } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      }
    )
    req.on('error', reject)
    createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(req)
  })
  const uploadSeconds = (performance.now() - t) / 1000
  await backend.stop()
  dir.remove()
  if (status !== 201) throw new Error(`upload answered ${status}`)
  const mb = SIZE / 1024 ** 2
  console.log(
    JSON.stringify({
      bytes: SIZE,
      mb_per_s: Math.round(mb / uploadSeconds),
      sha256sum_mb_per_s: Math.round(mb / sha256sumSeconds),
      ratio: Number((sha256sumSeconds / uploadSeconds).toFixed(3))
    })
  )
}
void main()
