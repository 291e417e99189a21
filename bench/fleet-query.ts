// Fleet registry queries at 100,000 vehicles × 20 ECUs: filtered, sorted, cursor-paged, over HTTPS.
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { join } from 'node:path'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, percentile, quick } from './lib/support'
import { seedFleet } from './lib/seed'

const VEHICLES = quick ? 1_000 : 100_000
const ROUNDS = quick ? 5 : 50

const QUERIES = {
  first_page: '/api/v1/vehicles?limit=100',
  by_model_online: '/api/v1/vehicles?model=model_a&online=true&limit=100',
  by_ecu_version: '/api/v1/vehicles?ecu=ECU_007&version=1.0.0&limit=100',
  by_last_seen_desc: '/api/v1/vehicles?sort=lastSeen&order=desc&limit=100',
  by_tag: '/api/v1/vehicles?tag=pilot&limit=100',
  vin_prefix: '/api/v1/vehicles?q=BNC0000000004&limit=100'
} as const

async function main() {
  const dir = tempDir('ota-bench-query')
  const dataDir = join(dir.dir, 'backend')
  const { adminToken } = await seedFleet(dataDir, VEHICLES, 20)
  const backend = await backendProcess(dataDir)
  const agent = new Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(backend.ca, 'utf8') })
  const get = (path: string) =>
    new Promise<{ ms: number; body: { nextCursor: string | null } }>((resolve, reject) => {
      const t = performance.now()
      request(`${backend.url}${path}`, { agent, headers: { authorization: `Bearer ${adminToken}` } }, (res) => {
        let body = ''
        res.on('data', (c) => (body += c))
        res.on('end', () =>
          res.statusCode === 200 ? resolve({ ms: performance.now() - t, body: JSON.parse(body) }) : reject(new Error(`${path}: HTTP ${res.statusCode} ${body}`))
        )
      })
        .on('error', reject)
        .end()
    })
  const figures: Record<string, number> = { vehicles: VEHICLES }
  for (const path of Object.values(QUERIES)) await get(path) // warm the page cache and the route
  for (const [name, path] of Object.entries(QUERIES)) {
    const times: number[] = []
    for (let i = 0; i < ROUNDS; i++) times.push((await get(path)).ms)
    figures[`${name}_p95_ms`] = Number(percentile(times, 0.95).toFixed(1))
  }
  // Walking deep into the fleet costs the same per page: keyset paging, no OFFSET.
  let cursor: string | null = null
  const pages: number[] = []
  for (let i = 0; i < (quick ? 5 : 50); i++) {
    const page: { ms: number; body: { nextCursor: string | null } } = await get(`/api/v1/vehicles?limit=1000${cursor ? `&cursor=${cursor}` : ''}`)
    pages.push(page.ms)
    cursor = page.body.nextCursor
    if (!cursor) break
  }
  figures.page_1000_p95_ms = Number(percentile(pages, 0.95).toFixed(1))
  agent.destroy()
  await backend.stop()
  dir.remove()
  console.log(JSON.stringify(figures))
}
void main()
