// The console under test for the fleet-table benchmark, in its own process so its memory is its
// own: a core whose active profile holds N vehicles (written straight into its fleet copy), served
// by the browser host. Talks to the benchmark over IPC: 'ready', then 'stats' on request.
import { join } from 'node:path'
import { createCore } from '../../src/core/create-core'
import { createFleetStore } from '../../src/core/fleet/fleet-store'
import { openDatabase } from '../../src/core/store/database'
import { startHost } from '../../src/host/server'
import type { VehicleListItem } from '../../src/shared/fleet/registry'
import { noKeychain, percentile } from './support'

const [vehicles, dataDir] = [Number(process.argv[2]), process.argv[3]!]
const root = join(__dirname, '../..')
const ECUS = 10

const vehicle = (i: number, now: number): VehicleListItem => {
  const versions: Record<string, string> = { GATEWAY: '1.0.0' }
  for (let e = 1; e <= ECUS; e++) versions[`ECU_${String(e).padStart(3, '0')}`] = e === 1 && i % 7 === 0 ? '1.1.0' : '1.0.0'
  return {
    vin: `TBL${String(i).padStart(14, '0')}`,
    model: ['model_a', 'model_b', 'model_c', 'model_d'][i % 4]!,
    region: ['eu', 'jp', 'us', 'cn'][(i >> 2) % 4]!,
    tags: i % 10 === 0 ? ['pilot'] : [],
    online: i % 5 !== 0,
    lastSeen: new Date(now - (i % 86_400) * 1000).toISOString(),
    versions
  }
}

async function main() {
  const core = await createCore({ dataDir, version: 'bench', secrets: noKeychain, log: () => {} })
  const created = await core.dispatch('profiles.create', {
    name: 'Bench fleet',
    backendUrl: 'https://fleet.bench.invalid',
    mqttUrl: 'mqtts://fleet.bench.invalid',
    username: 'bench',
    authKind: 'token',
    caCertPem: null,
    clientCertPem: null
  })
  if (!created.ok) throw new Error(created.error.message)
  const profileId = (created.value as { id: string }).id
  await core.dispatch('profiles.setActive', { id: profileId })

  // As a sync would write it, page by page, through a second connection to the same database.
  const t0 = performance.now()
  const { db } = openDatabase(dataDir)
  const store = createFleetStore(db)
  const mark = store.beginSync(profileId)
  const now = Date.now()
  for (let page = 0; page < vehicles; page += 1000) {
    store.writePage(
      profileId,
      mark,
      Array.from({ length: Math.min(1000, vehicles - page) }, (_, i) => vehicle(page + i, now))
    )
  }
  store.finishSync(profileId, mark, new Date().toISOString())
  db.close()
  const seedMs = performance.now() - t0

  // Time the windows the page asks for while it scrolls, and the first of each new query, which
  // includes computing its order.
  let scrolling = false
  const windows: number[] = []
  const orders: number[] = []
  const facets: number[] = []
  let lastQuery = ''
  const timed = {
    ...core,
    async dispatch(channel: unknown, input: unknown) {
      const started = performance.now()
      const result = await core.dispatch(channel, input)
      const ms = performance.now() - started
      if (channel === 'fleet.facets') facets.push(ms)
      if (channel === 'fleet.window') {
        const { filters, sort, order } = input as Record<string, unknown>
        const query = JSON.stringify([filters, sort, order])
        if (query !== lastQuery) orders.push(ms)
        else if (scrolling) windows.push(ms)
        lastQuery = query
      }
      return result
    }
  }
  const host = await startHost({ core: timed, rendererDir: join(root, 'out/renderer'), bridgeFile: join(root, 'out/host-bridge/ota-bridge.js') })
  process.send!({ type: 'ready', url: host.url, seedMs })

  process.on('message', async (message: { type: string }) => {
    if (message.type === 'scrolling' || message.type === 'scrolled') scrolling = message.type === 'scrolling'
    else if (message.type === 'stats') {
      for (let i = 0; i < 3; i++) {
        ;(globalThis as { gc?: () => void }).gc?.()
        await new Promise((r) => setTimeout(r, 100))
      }
      const memory = process.memoryUsage()
      process.send!({
        type: 'stats',
        heapUsed: memory.heapUsed,
        rss: memory.rss,
        windows: windows.length,
        windowP95: percentile(windows, 0.95),
        orderMax: Math.max(0, ...orders),
        facetsMax: Math.max(0, ...facets)
      })
    } else if (message.type === 'stop') {
      await host.close()
      await core.close()
      process.exit(0)
    }
  })
}

main().catch((err: Error) => {
  console.error(`fleet-host: ${err.stack ?? err.message}`)
  process.exit(1)
})
