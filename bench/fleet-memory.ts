// Memory per simulated vehicle with 1,000 vehicles in one process (the backend runs in its own).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startFleet } from '../src/vehicle/fleet'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, quick } from './lib/support'

const COUNT = quick ? 100 : 1_000

const settledMemory = async () => {
  for (let i = 0; i < 3; i++) {
    ;(globalThis as { gc?: () => void }).gc?.()
    await new Promise((r) => setTimeout(r, 200))
  }
  return process.memoryUsage()
}

async function main() {
  const dir = tempDir('ota-bench-fleet')
  const backend = await backendProcess(join(dir.dir, 'backend'))
  const before = await settledMemory()
  const fleet = await startFleet({
    backendUrl: backend.url,
    mqttUrl: backend.mqttUrl,
    ca: readFileSync(backend.ca, 'utf8'),
    token: backend.token!,
    count: COUNT,
    models: ['model_a', 'model_b'],
    ecus: 10,
    failureRate: 0,
    offlineRate: 0,
    seed: 1,
    pq: false,
    pollMs: 0,
    log: () => {}
  })
  const connected = fleet.vehicles.filter((v) => v.connected()).length
  const after = await settledMemory()
  await fleet.stop()
  await backend.stop()
  dir.remove()
  console.log(
    JSON.stringify({
      vehicles: COUNT,
      connected,
      kb_per_vehicle: Math.round((after.rss - before.rss) / 1024 / COUNT),
      heap_kb_per_vehicle: Math.round((after.heapUsed - before.heapUsed) / 1024 / COUNT)
    })
  )
}
void main()
