// Flashing over DoIP on loopback: the console's client against a standalone simulated vehicle in
// its own process (`npm run vehicles -- --standalone`), as a workshop laptop reaches a car. A
// flash is bound by round trips, so the figure to watch is blocks/s; the ratio compares the
// transfer's bytes/s with raw TCP carrying the same bytes to a sink in the same run.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect, createServer } from 'node:net'
import { join } from 'node:path'
import { DoipTransport } from '../src/core/diag/doip/doip-transport'
import { createDiagSession } from '../src/core/diag/session'
import type { FlashProgress } from '../src/shared/diag'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { percentile, quick } from './lib/support'

const SIZE = quick ? 256 * 1024 : 1024 * 1024
const RUNS = quick ? 1 : 5

async function standaloneVehicle() {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/vehicle/cli.ts'), '--standalone', '--doip-port', '0', '--ecus', '1'], { stdio: ['ignore', 'pipe', 'pipe'] })
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

async function main() {
  const vehicle = await standaloneVehicle()
  const session = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: vehicle.port }))
  const vin = String((await session.readDids(0x0e00, [0xf190]))[0]?.value)
  const transfers: { seconds: number; total: number }[] = []
  const raw: number[] = []
  let blocks = 0
  try {
    // Run 0 warms the JIT on both sides and is not counted.
    for (let run = 0; run <= RUNS; run++) {
      const image = new Uint8Array(randomBytes(SIZE))
      const release = { id: `rel_bench${String(run).padStart(8, '0')}`, model: 'model_a', ecu: 'ECU_001', version: `2.0.${run}`, hardware: [hardwareFor('model_a', 1)] }
      let transferStart = 0
      let transferEnd = 0
      const onProgress = (p: FlashProgress) => {
        if (p.step === 'transfer' && !transferStart) transferStart = performance.now()
        if (p.step === 'exit' && !transferEnd) transferEnd = performance.now()
      }
      const started = performance.now()
      const outcome = await session.flash(0x1001, { kind: 'image', image, release, expected: { vin, model: 'model_a', ecu: 'ECU_001' } }, { onProgress })
      const rawSeconds = await rawTcpSeconds(image)
      if (run === 0) continue
      transfers.push({ seconds: (transferEnd - transferStart) / 1000, total: (performance.now() - started) / 1000 })
      blocks = outcome.blocks
      raw.push(rawSeconds)
    }
  } finally {
    await session.close()
    await vehicle.stop()
  }
  const transfer = percentile(transfers.map((t) => t.seconds), 0.5)
  const total = percentile(transfers.map((t) => t.total), 0.5)
  const rawSeconds = percentile(raw, 0.5)
  const mb = SIZE / 1024 ** 2
  console.log(
    JSON.stringify({
      bytes: SIZE,
      blocks,
      runs: RUNS,
      flash_seconds: Number(total.toFixed(3)),
      transfer_seconds: Number(transfer.toFixed(3)),
      blocks_per_s: Math.round(blocks / transfer),
      transfer_mb_per_s: Number((mb / transfer).toFixed(1)),
      raw_tcp_mb_per_s: Number((mb / rawSeconds).toFixed(1)),
      ratio: Number((rawSeconds / transfer).toFixed(4))
    })
  )
}
void main()
