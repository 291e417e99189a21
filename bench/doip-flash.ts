// Flashing over DoIP on loopback: the console's client against a standalone simulated vehicle in
// its own process (`npm run vehicles -- --standalone --max-block B`), as a workshop laptop reaches
// a car. 64 MiB at the ECU's 4 KiB and 64 KiB blocks. Two baselines from the same run:
// - `tcp_mb_per_s`: raw TCP streaming the same image to a sink in another process (warmed up,
//   then the median), the goal's denominator (ratio >= 0.5 at 64 KiB);
// - `roundtrip_mb_per_s`: the same blocks sent one at a time to a bare echo in another process
//   that answers 14 bytes per block, no protocol at all: the ceiling of any one-request-at-a-time
//   exchange, which UDS is (a tester sends a block when the one before is answered).
// The top-level figures are the 64 KiB ones; `block_4k` has the same at 4 KiB.
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { connect } from 'node:net'
import { join } from 'node:path'
import { DoipTransport } from '../src/core/uds-session/doip/doip-transport'
import { createDiagSession } from '../src/core/uds-session/session'
import type { FlashProgress } from '../src/shared/uds-client'
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

/** Answers 14 bytes for every `block` bytes it receives: a peer that does no work at all. */
const ECHO = `const b=Number(process.argv[1]);const s=require('node:net').createServer((c)=>{c.setNoDelay(true);let n=0;c.on('data',(d)=>{n+=d.length;while(n>=b){n-=b;c.write(Buffer.alloc(14))}})});s.listen(0,'127.0.0.1',()=>console.log(s.address().port))`

/**
 * MB/s of `image` sent in blocks of `block` bytes, each once the one before is answered, to a bare
 * echo in another process (as the vehicle is): one warm-up pass, then the median of RUNS. With
 * one block of the whole image this is raw TCP streaming.
 */
async function throughEcho(image: Uint8Array, block: number) {
  const child = spawn(process.execPath, ['-e', ECHO, String(block)], { stdio: ['ignore', 'pipe', 'inherit'] })
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (c: Buffer) => resolve(Number(String(c).trim()))))
  const socket = connect(port, '127.0.0.1')
  await new Promise((resolve) => socket.once('connect', resolve))
  socket.setNoDelay(true)
  const seconds: number[] = []
  // Whole blocks only: the echo answers a full block, as an ECU answers a whole message.
  const blocks = Math.floor(image.length / block)
  for (let run = 0; run <= RUNS; run++) {
    const started = performance.now()
    await new Promise<void>((resolve) => {
      let sent = 0
      const next = () => (sent === blocks ? (socket.off('data', next), resolve()) : socket.write(image.subarray(sent++ * block).subarray(0, block)))
      socket.on('data', next)
      next()
    })
    if (run > 0) seconds.push((performance.now() - started) / 1000)
  }
  socket.destroy()
  child.kill()
  return (blocks * block) / 1024 ** 2 / percentile(seconds, 0.5)
}

/** RUNS flashes of one image at one block length, after one that warms the JIT on both sides. */
async function measure(maxBlock: number) {
  const vehicle = await standaloneVehicle(maxBlock)
  const session = createDiagSession(await DoipTransport.open({ host: '127.0.0.1', port: vehicle.port }))
  const image = new Uint8Array(randomBytes(SIZE))
  const flashes: { transfer: number; total: number; blocks: number }[] = []
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
      if (run > 0) flashes.push({ transfer: (transferEnd - transferStart) / 1000, total, blocks: outcome.blocks })
    }
  } finally {
    await session.close()
    await vehicle.stop()
  }
  const transfer = percentile(
    flashes.map((f) => f.transfer),
    0.5
  )
  const mb = SIZE / 1024 ** 2
  const tcp = await throughEcho(image, image.length)
  // A DoIP 0x36 message: the 8-byte header, SA and TA, then the UDS request of maxNumberOfBlockLength.
  const roundtrip = await throughEcho(image, 8 + 4 + maxBlock)
  return {
    block: maxBlock,
    blocks: flashes[0]!.blocks,
    flash_s: Number(
      percentile(
        flashes.map((f) => f.total),
        0.5
      ).toFixed(3)
    ),
    transfer_s: Number(transfer.toFixed(3)),
    blocks_per_s: Math.round(flashes[0]!.blocks / transfer),
    mb_per_s: Number((mb / transfer).toFixed(1)),
    tcp_mb_per_s: Number(tcp.toFixed(1)),
    ratio: Number((mb / transfer / tcp).toFixed(3)),
    roundtrip_mb_per_s: Number(roundtrip.toFixed(1)),
    ratio_to_roundtrip: Number((mb / transfer / roundtrip).toFixed(3))
  }
}

async function main() {
  const [small, large] = [await measure(BLOCKS[0]!), await measure(BLOCKS[1]!)]
  console.log(JSON.stringify({ bytes: SIZE, runs: RUNS, ...large, block_4k: small }))
}
void main()
