// A batch DTC read across 1,000 simulated vehicles through the MQTT relay: the path a user takes
// on the Diagnostics screen. A whole console core (createCore, signed in with a token profile as a
// user is) runs diagnostics.start with "Read DTCs, mask FF, all ECUs" (19 02 FF); each request goes
// over the backend's HTTPS diag route, MQTT to the simulated gateway, the ECU and back. The backend
// (`npm run backend`) and the fleet (`npm run vehicles`) run in their own processes, so the figures
// are not this process's contention. Each vehicle has the simulator's default 10 ECUs behind its
// zonal gateways; the central gateway answers too, so a vehicle is 11 requests, 16 vehicles at a
// time (the console's RUN_CONCURRENCY). total_s runs from diagnostics.start to the run's last
// progress report; p50/p95 are the console's own elapsed time of each UDS request. A vehicle or
// ECU not read is an error, and any error fails the benchmark.
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../src/core/create-core'
import { RUN_CONCURRENCY } from '../src/core/diagnostic-runs/batch-runner'
import { buildApi } from '../src/shared/api'
import type { DiagRunAnswer, DiagRunProgress } from '../src/shared/calls/diagnostic-runs'
import { apiClient } from '../test/support/https-client'
import { createMemoryStore } from '../src/core/secrets/memory-store'
import { signIn, value } from '../test/support/profiles'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, percentile, quick } from './lib/support'

const VEHICLES = quick ? 20 : 1_000
const ECUS = 10

/** Starts `npm run vehicles` against the backend and waits until it says its fleet is connected. */
async function vehiclesProcess(backend: { url: string; mqttUrl: string; ca: string }, token: string) {
  const args = [
    '--count',
    String(VEHICLES),
    '--ecus',
    String(ECUS),
    '--backend',
    backend.url,
    '--mqtt-url',
    backend.mqttUrl,
    '--ca',
    backend.ca,
    '--token',
    token,
    '--seed',
    '1',
    '--poll-seconds',
    '0'
  ]
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/vehicle/cli.ts'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the vehicles did not start:\n${out}`)), 300_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c
      if (/\d+ simulated vehicles/.test(out)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.stderr.on('data', (c: Buffer) => (out += c))
    child.once('exit', (code) => reject(new Error(`the vehicles exited ${code}:\n${out}`)))
  })
  return { stop: () => new Promise<void>((r) => (child.exitCode !== null ? r() : (child.once('exit', () => r()), child.kill('SIGTERM')))) }
}

async function main() {
  const dir = tempDir('ota-bench-dtc')
  const stops: (() => Promise<void>)[] = []
  try {
    const backend = await backendProcess(join(dir.dir, 'backend'))
    stops.push(backend.stop)
    const token = backend.token!
    const caCertPem = readFileSync(backend.ca, 'utf8')
    const fleetStarted = performance.now()
    const vehicles = await vehiclesProcess(backend, token)
    stops.unshift(vehicles.stop)

    // A vehicle says it is online once connected; the registry hears it a moment later.
    const api = apiClient(backend.url, caCertPem)
    for (let waited = 0; (await api.get('/api/v1/fleet/summary', { token })).json.online < VEHICLES; waited += 100) {
      if (waited > 60_000) throw new Error('the fleet did not come online in the registry within 60 s')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    const vins: string[] = (await api.get(`/api/v1/vehicles?limit=${VEHICLES}`, { token })).json.vehicles.map((v: { vin: string }) => v.vin)
    const fleetStartS = (performance.now() - fleetStarted) / 1000

    // signIn's token is read once per profile, not per request: memory instead of the OS keychain changes no figure, and CI's smoke run needs no keyring.
    const core = await createCore({ dataDir: join(dir.dir, 'console'), version: 'bench', secrets: createMemoryStore(), log: (line) => console.error(`[core] ${line}`) })
    stops.unshift(core.close)
    let ended: (p: DiagRunProgress) => void = () => undefined
    const end = new Promise<DiagRunProgress>((resolve) => (ended = resolve))
    const client = { api: buildApi({ invoke: core.dispatch, subscribe: () => () => undefined }) }
    core.subscribe((event, payload) => {
      if (event === 'diagnostics.progress' && (payload as DiagRunProgress).state !== 'running') ended(payload as DiagRunProgress)
    })
    await signIn(client, { url: backend.url, mqttUrl: backend.mqttUrl, caCertPem }, token, 'Bench fleet')

    const started = performance.now()
    const run = value(await client.api.diagnostics.start({ vins, ecus: 'all', operation: { kind: 'readDtcs', statusMask: 0xff } }))
    const last = await end
    const totalS = (performance.now() - started) / 1000

    const view = value(await client.api.diagnostics.run({ runId: run.id }))
    const answers: DiagRunAnswer[] = []
    for (let total = 1; answers.length < total;) {
      const page = value(await client.api.diagnostics.answers({ runId: run.id, offset: answers.length, limit: 1000 }))
      answers.push(...page.answers)
      total = page.total
    }
    const { summary } = view
    const requests = VEHICLES * (ECUS + 1)
    // Every request that did not come back with the ECU's DTCs: refused, unanswered, or never sent.
    const errors = requests - summary.positive
    for (const v of view.vehicles.filter((v) => v.error).slice(0, 5)) console.error(`${v.vin}: ${v.error!.code} ${v.error!.message}`)
    for (const a of answers.filter((a) => a.error || a.decoded?.kind !== 'positive').slice(0, 5)) console.error(`${a.vin} ${a.ecu}: ${a.error?.message ?? a.response}`)
    const elapsed = answers.filter((a) => a.error === null).map((a) => a.elapsedMs)
    console.log(
      JSON.stringify({
        vehicles: VEHICLES,
        ecus_per_vehicle: ECUS,
        requests,
        concurrency: RUN_CONCURRENCY,
        state: last.state,
        total_s: Number(totalS.toFixed(2)),
        requests_per_s: Math.round(answers.length / totalS),
        p50_ms: percentile(elapsed, 0.5),
        p95_ms: percentile(elapsed, 0.95),
        max_ms: Math.max(0, ...elapsed),
        dtcs: view.vehicles.reduce((n, v) => n + v.dtcs, 0),
        errors,
        vehicles_failed: summary.vehiclesFailed,
        fleet_start_s: Number(fleetStartS.toFixed(1))
      })
    )
    if (last.state !== 'completed' || errors > 0 || summary.vehiclesFailed > 0) process.exitCode = 1
  } finally {
    for (const stop of stops) await stop()
    dir.remove()
  }
}
main().catch((err: Error) => {
  console.error(`dtc-batch: ${err.stack ?? err.message}`)
  process.exit(1)
})
