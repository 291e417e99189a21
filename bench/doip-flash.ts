// Flashing over DoIP on loopback: the console's client against a standalone simulated vehicle in
// its own process (`npm run vehicles -- --standalone --max-block B`), as a workshop laptop reaches
// a car. 64 MiB at the ECU's 4 KiB and 64 KiB blocks; the ratio compares the transfer's bytes/s
// with raw TCP carrying the same bytes to a sink, measured between flashes in the same run. The
// top-level figures are the 64 KiB ones (goal: ratio >= 0.5); `block_4k` has the same at 4 KiB,
// where a flash is bound by round trips and blocks/s is the figure to watch.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { DoipTransport } from '../src/core/diag/doip/doip-transport'
import { createDiagSession } from '../src/core/diag/session'
import type { FlashProgress } from '../src/shared/diag'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { percentile, quick } from './lib/support'

const SIZE = quick ? 1024 * 1024 : 64 * 1024 * 1024
const RUNS = quick ? 1 : 5
const BLOCKS = [4 * 1024, 64 * 1024]

async function standaloneVehicle(maxBlock: number) {
  const args = ['--import', 'tsx', join(__dirname, '../src/vehicle/cli.ts'), '--standalone', '--doip-port', '0', '--ecus', '1', '--max-block', String(maxBlock)]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the vehicle did not start:\n${out}`)), 30_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c
      const found = /DoIP on 127\.0\.0\.1 TCP (\d+)/.exec(out)?.[1]
      if (found) {
        clearTimeout(timer)
        resolve(Number(found))
      }
    })
    child.stderr.on('data', (c: Buffer) => (out += c))
    child.once('exit', (code) => reject(new Error(`the vehicle exited ${code}:\n${out}`)))
  })
  return { port, stop: () => new Promise<void>((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) }
}

/** Seconds for `bytes` to cross a loopback TCP connection into a sink that counts them. */
async function rawTcpSeconds(bytes: Uint8Array) {
  let received = 0
  let done: () => void = () => undefined
  const all = new Promise<void>((resolve) => (done = resolve))
  const sink = createServer((socket) => socket.on('data', (chunk: Buffer) => (received += chunk.length) >= bytes.length && done()))
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()))
  const socket = connect((sink.address() as { port: number }).port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.setNoDelay(true)
  const started = performance.now()
  socket.write(bytes)
  await all
  const seconds = (performance.now() - started) / 1000
  socket.destroy()
  await new Promise((resolve) => sink.close(resolve))
  return seconds
}

/** RUNS flashes of one image at one block length (after one that warms the JIT on both sides), raw TCP between them. */
async function measure(maxBlock: number) {
  const vehicle = await standaloneVehicle(maxBlock)
  const session = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: vehicle.port }))
  const image = new Uint8Array(randomBytes(SIZE))
  const flashes: { transfer: number; total: number; blocks: number }[] = []
  const raw: number[] = []
  try {
    const vin = String((await session.readDids(0x0e00, [0xf190]))[0]?.value)
    for (let run = 0; run <= RUNS; run++) {
      const release = { id: `rel_bench${String(run).padStart(8, '0')}`, model: 'model_a', ecu: 'ECU_001', version: `2.0.${run}`, hardware: [hardwareFor('model_a', 1)] }
      let transferStart = 0
      let transferEnd = 0
      const onProgress = (p: FlashProgress) => {
        if (p.step === 'transfer' && !transferStart) transferStart = performance.now()
        if (p.step === 'exit' && !transferEnd) transferEnd = performance.now()
      }
      const started = performance.now()
      const outcome = await session.flash(0x1001, { kind: 'image', image, release, expected: { vin, model: 'model_a', ecu: 'ECU_001' } }, { onProgress })
      const total = (performance.now() - started) / 1000
      const rawSeconds = await rawTcpSeconds(image)
      if (run === 0) continue
      flashes.push({ transfer: (transferEnd - transferStart) / 1000, total, blocks: outcome.blocks })
      raw.push(rawSeconds)
    }
  } finally {
    await session.close()
    await vehicle.stop()
  }
  const transfer = percentile(flashes.map((f) => f.transfer), 0.5)
  const rawSeconds = percentile(raw, 0.5)
  const mb = SIZE / 1024 ** 2
  return {
    block: maxBlock,
    blocks: flashes[0]!.blocks,
    flash_s: Number(percentile(flashes.map((f) => f.total), 0.5).toFixed(3)),
    transfer_s: Number(transfer.toFixed(3)),
    blocks_per_s: Math.round(flashes[0]!.blocks / transfer),
    mb_per_s: Number((mb / transfer).toFixed(1)),
    tcp_mb_per_s: Number((mb / rawSeconds).toFixed(1)),
    ratio: Number((rawSeconds / transfer).toFixed(3))
  }
}

async function main() {
  const [small, large] = [await measure(BLOCKS[0]!), await measure(BLOCKS[1]!)]
  console.log(JSON.stringify({ bytes: SIZE, runs: RUNS, ...large, block_4k: small }))
}
void main()
