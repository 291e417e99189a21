// Failover under a campaign: two backend instances behind HAProxy on one PostgreSQL, Mosquitto
// and S3 store, 2,000 simulated vehicles, one staged job; the instance driving it is killed
// with SIGKILL halfway. Prints what was lost or done twice, how soon the other instance took
// over, and check-update throughput through the load balancer before (two instances) and after (one).
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { startFleet } from '../src/vehicle/fleet'
import { startDeployment } from '../test/support/deployment'
import { apiClient } from '../test/support/https-client'
import { quick } from './lib/support'

const VEHICLES = quick ? 30 : 2_000
const MEASURE_MS = quick ? 1_000 : 5_000
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs: number, everyMs = 100) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (ok(value)) return value
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs / 1000} s (last: ${JSON.stringify(value)})`)
    await sleep(everyMs)
  }
}

async function main() {
  const deployment = await startDeployment(2)
  const { admin } = deployment
  const api = apiClient(deployment.lbUrl, deployment.caPem)
  const vehicleErrors: string[] = []
  const fleet = await startFleet({
    backendUrl: deployment.lbUrl,
    mqttUrl: deployment.vehicleUrl,
    ca: deployment.caPem,
    token: admin,
    count: VEHICLES,
    models: ['model_a'],
    ecus: 1,
    failureRate: 0,
    offlineRate: 0,
    seed: 2026,
    pq: false,
    pollMs: 0,
    // The vehicles' own account of a failure, a few of them, for the bench's stderr.
    log: (line) => void (/failed|error/i.test(line) && vehicleErrors.length < 5 && vehicleErrors.push(line))
  })
  try {
    /** Every vehicle asks for updates in a loop for a while: answered requests a second, and those that failed. */
    const checkUpdateRate = async () => {
      let answered = 0
      let failed = 0
      const end = performance.now() + MEASURE_MS
      const start = performance.now()
      await Promise.all(
        fleet.vehicles.map(async (v) => {
          while (performance.now() < end) {
            await v.checkForUpdates().then(
              () => answered++,
              () => failed++
            )
          }
        })
      )
      return { rps: Math.round(answered / ((performance.now() - start) / 1000)), failed }
    }
    await until(
      'every vehicle known',
      async () => (await api.get('/api/v1/vehicles?ecu=ECU_001&version=1.0.0&limit=1000', { token: admin })).json.vehicles.length as number,
      (n) => n >= Math.min(VEHICLES, 1000),
      120_000,
      500
    )
    const rpsBefore = await checkUpdateRate()

    const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(256 * 1024) })).json
    const release = (
      await api.post('/api/v1/releases', {
        token: admin,
        json: { model: 'model_a', ecu: 'ECU_001', version: '2.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
      })
    ).json
    await api.post(`/api/v1/releases/${release.id}/publish`, { token: admin })
    const job = (
      await api.post('/api/v1/jobs', {
        token: admin,
        json: {
          name: 'failover bench',
          releaseId: release.id,
          selection: {},
          rollout: { waves: [{ size: { percent: 10 } }, { size: { percent: 100 } }], maxInFlight: quick ? 4 : 100 }
        }
      })
    ).json
    const succeeded = async () => ((await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.counts.succeeded ?? 0) as number
    await until('half the campaign', succeeded, (n) => n >= VEHICLES / 2, 600_000)

    const leader = (await deployment.leader())!
    const survivor = deployment.instances.find((i) => i !== leader)!
    const before = await succeeded()
    const killedAt = performance.now()
    await leader.kill()
    await until(
      'the lease taken over',
      async () => (await deployment.leader())?.pid,
      (pid) => pid === survivor.pid,
      60_000,
      50
    )
    await until('progress after the takeover', succeeded, (n) => n > before, 60_000, 50)
    const takeoverS = (performance.now() - killedAt) / 1000
    await until(
      'the job completed',
      async () => (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.state as string,
      (s) => s === 'completed',
      600_000,
      250
    )
    const completed = await succeeded()
    const rpsAfter = await checkUpdateRate()
    const duplicated = fleet.vehicles.reduce((n, v) => n + Math.max(0, v.outcomes.filter((o) => o.ok).length - 1), 0)
    console.log(
      JSON.stringify({
        instances: 2,
        vehicles: VEHICLES,
        completed,
        lost_executions: VEHICLES - completed,
        duplicated_installs: duplicated,
        takeover_s: Number(takeoverS.toFixed(2)),
        lease_ttl_s: 5,
        check_update_rps_before: rpsBefore.rps,
        check_update_rps_after: rpsAfter.rps,
        check_update_failed: rpsBefore.failed + rpsAfter.failed,
        // Within the lease: it expires, the next engine tick (0.5 s) takes it, and a vehicle report follows.
        target_met: VEHICLES - completed === 0 && duplicated === 0 && takeoverS <= 5 + 1
      })
    )
  } finally {
    for (const line of vehicleErrors) console.error(`vehicle: ${line}`)
    await fleet.stop()
    await deployment.stop()
  }
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message)
  process.exit(1)
})
