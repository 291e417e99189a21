// Job creation (selection + one execution per vehicle) and rollup cost at 10,000 and 100,000 vehicles.
import { join } from 'node:path'
import { JobSpec } from '../src/shared/fleet/jobs'
import { startBackend } from '../src/backend/server'
import { tempDir } from '../test/support/temp-dir'
import { seedFleet } from './lib/seed'
import { quick } from './lib/support'

const SIZES = quick ? [1_000] : [10_000, 100_000]

async function measure(vehicles: number) {
  const dir = tempDir('ota-bench-job')
  const dataDir = join(dir.dir, 'backend')
  // Every vehicle is model_a here, so the whole fleet is selected.
  await seedFleet(dataDir, vehicles, 2, 0, ['model_a'])
  const backend = await startBackend({ dataDir, mqttPort: 0, engineTickMs: 3_600_000, log: () => {} })
  const { catalog, jobs } = backend.services
  const release = (await catalog.list({ model: 'model_a', ecu: 'ECU_002' }))[0]!
  const spec = JobSpec.parse({
    name: 'bench',
    releaseId: release.id,
    selection: {},
    rollout: { waves: [{ size: { percent: 1 } }, { size: { percent: 10 } }, { size: { percent: 100 } }] }
  })
  let t = performance.now()
  const job = await jobs.create(spec, 'bench')
  const createMs = performance.now() - t
  t = performance.now()
  for (let i = 0; i < 10; i++) await jobs.view(job.id)
  const rollupMs = (performance.now() - t) / 10
  await backend.close()
  dir.remove()
  return { selected: job.counts.queued ?? 0, createMs, rollupMs }
}

async function main() {
  const figures: Record<string, number> = {}
  for (const n of SIZES) {
    const r = await measure(n)
    figures[`create_ms_${n}`] = Math.round(r.createMs)
    figures[`rollup_ms_${n}`] = Number(r.rollupMs.toFixed(2))
    figures[`selected_${n}`] = r.selected
  }
  console.log(JSON.stringify(figures))
}
void main()
