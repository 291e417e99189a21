// check-update requests per second and p99 latency with 100,000 registered vehicles of 20 ECUs.
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { join } from 'node:path'
import { startBackend } from '../src/backend/server'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, percentile, quick } from './lib/support'

const VEHICLES = quick ? 1_000 : 100_000
const ECUS = 20
const CLIENTS = 200
const SECONDS = quick ? 2 : 15
const IN_FLIGHT = 32

const vinOf = (i: number) => `BNC${String(i).padStart(14, '0')}`

async function seed(dataDir: string) {
  const backend = await startBackend({ dataDir, log: () => {} })
  const { db, tokens, catalog } = backend.services
  const now = new Date().toISOString()
  await db.transaction(async (tx) => {
    for (let i = 0; i < VEHICLES; i++) {
      const model = i % 2 ? 'model_b' : 'model_a'
      await tx.run('INSERT INTO vehicles (vin, model, region, tags, online, last_seen, created_at) VALUES (?, ?, ?, ?, 1, ?, ?)', [vinOf(i), model, 'eu', '[]', now, now])
      for (let e = 1; e <= ECUS; e++) {
        await tx.run('INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, ?, ?, ?, ?, ?)', [
          vinOf(i), `ECU_${String(e).padStart(3, '0')}`, 0x1000 + e, `ZGW_0${(e % 4) + 1}`, hardwareFor(model, e), '1.0.0'
        ])
      }
    }
  })
  const clients: string[] = []
  for (let i = 0; i < CLIENTS; i++) clients.push(await tokens.createDevice(vinOf(i)))
  for (const [ecu, version] of [['ECU_001', '1.1.0'], ['ECU_002', '1.0.1'], ['ECU_007', '2.0.0']] as const) {
    const { Readable } = await import('node:stream')
    const artifact = await catalog.upload(Readable.from([randomBytes(4096)]), 'bench')
    const rel = await catalog.create({ model: 'model_a', ecu, version, hardware: [hardwareFor('model_a', Number(ecu.slice(4)))], notes: '', artifactSha256: artifact.sha256 }, 'bench')
    await catalog.publish(rel.id, 'bench')
  }
  await backend.close()
  return clients
}

async function main() {
  const dir = tempDir('ota-bench-check')
  const dataDir = join(dir.dir, 'backend')
  const clients = await seed(dataDir)
  const backend = await backendProcess(dataDir)
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT, ca: readFileSync(backend.ca, 'utf8') })
  const body = (i: number) =>
    JSON.stringify({ ecus: Array.from({ length: ECUS }, (_, e) => ({ ecu: `ECU_${String(e + 1).padStart(3, '0')}`, hardware: hardwareFor(i % 2 ? 'model_b' : 'model_a', e + 1), version: '1.0.0' })) })
  const once = (i: number) =>
    new Promise<number>((resolve, reject) => {
      const t = performance.now()
      const req = request(`${backend.url}/api/v1/device/check-update`, { method: 'POST', agent, headers: { authorization: `Bearer ${clients[i % CLIENTS]}`, 'content-type': 'application/json' } }, (res) => {
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
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (performance.now() < deadline) latencies.push(await once(n++))
  }))
  const elapsed = (performance.now() - t0) / 1000
  agent.destroy()
  await backend.stop()
  dir.remove()
  console.log(JSON.stringify({ vehicles: VEHICLES, ecus_per_vehicle: ECUS, req_per_s: Math.round(latencies.length / elapsed), p99_ms: Number(percentile(latencies, 0.99).toFixed(1)) }))
}
void main()
