// Console ingest: job rollups a second that the core takes from MQTT and forwards to the
// renderer, while the renderer's main thread (Chromium, the jobs screen open) has no long task
// over 50 ms. Baseline: a bare MQTT client receiving the same stream from the same broker.
import { join } from 'node:path'
import mqtt from 'mqtt'
import { JobSpec } from '../src/shared/fleet/jobs'
import type { JobRollup } from '../src/shared/protocol/messages'
import { topicFor } from '../src/shared/protocol/topics'
import { startBackend, type RunningBackend } from '../src/backend/server'
import { tempDir } from '../test/support/temp-dir'
import { openConsolePage, signIn } from './lib/console-page'
import { benchVin, seedFleet } from './lib/seed'
import { quick } from './lib/support'

const JOBS = quick ? 20 : 200
const RATE = quick ? 2_000 : Number(process.env.INGEST_RATE ?? 20_000)
const SECONDS = quick ? 2 : 10
const PER_JOB = 5

const rollupOf = (jobId: string, seq: number): JobRollup => ({
  jobId,
  state: 'running',
  reason: null,
  currentWave: 0,
  counts: { succeeded: seq, queued: PER_JOB },
  waves: [{ wave: 0, size: PER_JOB, counts: { succeeded: seq, queued: PER_JOB } }],
  failureCauses: seq % 3 ? { 'install-error': seq % 7 } : {},
  ratePerMinute: 60,
  etaSeconds: 120,
  at: new Date().toISOString()
})

/**
 * Publishes RATE rollups a second for SECONDS (fewer if the broker cannot take them: at most
 * WINDOW unacknowledged), round-robin over the jobs; the last one carries seq = total.
 */
const WINDOW = 2_000
async function publishStream(backend: RunningBackend, jobIds: string[]) {
  const total = RATE * SECONDS
  let sent = 0
  let acked = 0
  const started = performance.now()
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE) + 1, acked + WINDOW)
    for (; sent < due; sent++) void backend.fleetLink.publish('jobRollup', '', rollupOf(jobIds[sent % jobIds.length]!, sent + 1)).then(() => (acked += 1))
    await new Promise((r) => setTimeout(r, 1))
  }
  while (acked < total) await new Promise((r) => setTimeout(r, 5))
  return { total, started, publishSeconds: (performance.now() - started) / 1000 }
}

const lastSeqs = (jobIds: string[], total: number) => new Map(jobIds.map((id, i) => [id, total - ((((total - 1 - i) % jobIds.length) + jobIds.length) % jobIds.length)]))

async function baseline(backend: RunningBackend, token: string, jobIds: string[]) {
  const client = await mqtt.connectAsync(backend.mqttUrl, { username: 'bench', password: token, ca: backend.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
  let received = 0
  let lastAt = 0
  client.on('message', () => ((received += 1), (lastAt = performance.now())))
  await client.subscribeAsync(topicFor('jobRollup'), { qos: 1 })
  const { total, started } = await publishStream(backend, jobIds)
  const deadline = performance.now() + 30_000
  while (received < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 50))
  await client.endAsync()
  return { perSecond: received / ((lastAt - started) / 1000), received, total }
}

async function main() {
  const dir = tempDir('ota-bench-ingest')
  const dataDir = join(dir.dir, 'backend')
  const { adminToken } = await seedFleet(dataDir, JOBS * PER_JOB, 1, 0, ['model_a'])
  const backend = await startBackend({ dataDir, mqttPort: 0, engineTickMs: 3_600_000, log: () => {} })
  const release = (await backend.services.catalog.list({ model: 'model_a', ecu: 'ECU_001' }))[0]!
  const jobIds: string[] = []
  for (let j = 0; j < JOBS; j++) {
    const vins = Array.from({ length: PER_JOB }, (_, k) => benchVin(j * PER_JOB + k))
    const spec = JobSpec.parse({ name: `bench ${j}`, releaseId: release.id, selection: { vins }, rollout: { waves: [{ size: { percent: 100 } }] } })
    jobIds.push((await backend.services.jobs.create(spec, 'bench')).id)
  }

  const base = await baseline(backend, adminToken, jobIds)

  const console_ = await openConsolePage(join(dir.dir, 'console'))
  const { page } = console_
  try {
    await signIn(page, { url: backend.url, mqttUrl: backend.mqttUrl, caCertPem: backend.caCertPem, token: adminToken })
    await page
      .getByRole('navigation', { name: 'Main navigation' })
      .getByRole('button', { name: process.env.INGEST_SCREEN ?? 'Jobs' })
      .click()
    if (!process.env.INGEST_SCREEN) await page.getByRole('button', { name: `bench ${JOBS - 1}`, exact: true }).waitFor()
    await page.evaluate(() => {
      const w = globalThis as unknown as { longTasks: number[]; lastSeq: Record<string, number>; ota: import('../src/shared/api').OtaApi }
      w.longTasks = []
      w.lastSeq = {}
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(Math.round(e.duration)))).observe({ type: 'longtask' as never })
      w.ota.on('jobs.rollups', ({ rollups }) => rollups.forEach((r) => (w.lastSeq[r.jobId] = r.counts.succeeded ?? 0)))
    })
    const { total, started, publishSeconds } = await publishStream(backend, jobIds)
    const want = Object.fromEntries(lastSeqs(jobIds, total))
    await page.waitForFunction(
      (expected) => {
        const seen = (globalThis as unknown as { lastSeq: Record<string, number> }).lastSeq
        return Object.entries(expected).every(([id, seq]) => seen[id] === seq)
      },
      want,
      { timeout: 60_000, polling: 20 }
    )
    const elapsed = (performance.now() - started) / 1000
    const longTasks = await page.evaluate(() => (globalThis as unknown as { longTasks: number[] }).longTasks)
    const eventsPerS = Math.round(total / elapsed)
    console.log(
      `ingest: ${total} rollups for ${JOBS} jobs at a target of ${RATE}/s; console ${eventsPerS}/s, bare MQTT client ${Math.round(base.perSecond)}/s; long tasks ${JSON.stringify(longTasks)}`
    )
    console.log(
      JSON.stringify({
        events_per_s: eventsPerS,
        max_long_task_ms: Math.round(Math.max(0, ...longTasks)),
        long_tasks: longTasks.length,
        target_per_s: RATE,
        published_per_s: Math.round(total / publishSeconds),
        jobs: JOBS,
        baseline_mqtt_per_s: Math.round(base.perSecond),
        ratio_to_baseline: Number((eventsPerS / base.perSecond).toFixed(3))
      })
    )
  } finally {
    await console_.close()
    await backend.close()
    dir.remove()
  }
}
void main().catch((err) => {
  console.error(err)
  process.exit(1)
})
