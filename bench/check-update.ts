// check-update requests per second and p99 latency with 100,000 registered vehicles of 20 ECUs.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { join } from 'node:path'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { tempDir } from '../test/support/temp-dir'
import { seedFleet } from './lib/seed'
import { backendProcess, percentile, quick } from './lib/support'

const VEHICLES = quick ? 1_000 : 100_000
const ECUS = 20
const CLIENTS = 200
const SECONDS = quick ? 2 : 15
const IN_FLIGHT = 32

async function main() {
  const dir = tempDir('ota-bench-check')
  const dataDir = join(dir.dir, 'backend')
  const { deviceIdentities } = await seedFleet(dataDir, VEHICLES, ECUS, CLIENTS)
  const backend = await backendProcess(dataDir)
  const ca = readFileSync(backend.ca, 'utf8')
  // Each client vehicle on its own connection and device certificate (mTLS), as in the field.
  const agents = deviceIdentities.map((id) => new Agent({ keepAlive: true, maxSockets: 1, ca, cert: id.certPem, key: id.keyPem }))
  const body = (i: number) =>
    JSON.stringify({
      ecus: Array.from({ length: ECUS }, (_, e) => ({
        ecu: `ECU_${String(e + 1).padStart(3, '0')}`,
        hardware: hardwareFor(i % 2 ? 'model_b' : 'model_a', e + 1),
        version: '1.0.0'
      }))
    })
  const once = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now()
      const req = request(`${backend.url}/api/v1/device/check-update`, { method: 'POST', agent: agents[i % CLIENTS], headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume()
        res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t) : reject(new Error(`HTTP ${res.statusCode}`))))
      })
      req.on('error', reject)
      req.end(body(i))
    })
  const latencies: number[] = []
  const deadline = performance.now() + SECONDS * 1000
  let n = 0
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) latencies.push(await once(n++))
    })
  )
  const elapsed = (performance.now() - t0) / 1000
  for (const agent of agents) agent.destroy()
  await backend.stop()
  dir.remove()
  console.log(
    JSON.stringify({ vehicles: VEHICLES, ecus_per_vehicle: ECUS, req_per_s: Math.round(latencies.length / elapsed), p99_ms: Number(percentile(latencies, 0.99).toFixed(1)) })
  )
}
void main()
