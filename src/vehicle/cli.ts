import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { describeEntity } from './doip/entities'
import { startFleet } from './fleet'
import { startStandaloneVehicles } from './standalone'
import { HEALTH_FAULTS, type HealthFault } from './vehicle'
import { EcuId } from '../shared/fleet/catalog'

const USAGE = [
  'Usage: npm run vehicles -- --count N --ca FILE [--token TOKEN (or OTA_TOKEN)] [--backend https://127.0.0.1:8443] [--mqtt-url mqtts://127.0.0.1:8883] [--models a,b] [--ecus 10] [--failure-rate 0.1] [--offline-rate 0.05] [--consent-refusal-rate 0.1] [--deferral-rate 0.1] [--defer-minutes 30] [--health-fault self-test|rollback|dtc|offline --health-fault-rate 0.1 [--health-fault-after-seconds 20]] [--fail-ecu ECU_002 (repeatable)] [--seed S] [--state DIR] [--pq] [--poll-seconds 60] [--doip-port 13400 [--doip-host 127.0.0.1] [--doip-vehicles N]]',
  '       npm run vehicles -- --standalone --doip-port 13400 [--count 1] [--models a,b] [--ecus 10] [--seed 1] [--doip-host 0.0.0.0] [--max-block 4096]   (no backend: DoIP only)',
  'With --doip-port P, vehicle i listens for DoIP on TCP and UDP port P + i (0: any free port); --doip-vehicles N: only the first N do.',
  '--max-block (standalone): the maxNumberOfBlockLength the ECUs announce for a download, 0x36 SID and counter included; 4096 when absent.'
].join('\n')
/** Vehicles whose DoIP addresses are printed in full; the rest in one line. */
const DESCRIBED = 10
/** A block carries at least one byte after the SID and counter; past 1 MiB a block is no longer a block. */
const MIN_BLOCK = 3
const MAX_BLOCK = 1024 * 1024

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string' },
      backend: { type: 'string', default: 'https://127.0.0.1:8443' },
      'mqtt-url': { type: 'string', default: 'mqtts://127.0.0.1:8883' },
      ca: { type: 'string' },
      token: { type: 'string', default: process.env.OTA_TOKEN },
      models: { type: 'string', default: 'model_a,model_b' },
      ecus: { type: 'string', default: '10' },
      'failure-rate': { type: 'string', default: '0' },
      'offline-rate': { type: 'string', default: '0' },
      'consent-refusal-rate': { type: 'string', default: '0' },
      'deferral-rate': { type: 'string', default: '0' },
      'health-fault': { type: 'string' },
      'health-fault-rate': { type: 'string', default: '0' },
      'health-fault-after-seconds': { type: 'string', default: '20' },
      'defer-minutes': { type: 'string', default: '30' },
      'fail-ecu': { type: 'string', multiple: true },
      seed: { type: 'string' },
      state: { type: 'string' },
      pq: { type: 'boolean', default: false },
      'poll-seconds': { type: 'string', default: '60' },
      'doip-port': { type: 'string' },
      'doip-host': { type: 'string', default: '127.0.0.1' },
      'doip-vehicles': { type: 'string' },
      standalone: { type: 'boolean', default: false },
      'max-block': { type: 'string' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return console.log(USAGE)
  values.count ??= values.standalone ? '1' : '10'
  const number = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name])
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be between ${min} and ${max}, got "${values[name]}"`)
    return n
  }
  const doip = values['doip-port'] === undefined ? undefined : { host: values['doip-host']!, port: number('doip-port', 0, 65_535), log: (line: string) => console.error(line) }
  if (values['doip-vehicles'] !== undefined && (!doip || values.standalone))
    throw new Error('--doip-vehicles limits the DoIP vehicles of a connected fleet: it needs --doip-port and no --standalone')
  const stopOnSignal = (stop: () => Promise<void>) => {
    const exit = () => void stop().then(() => process.exit(0))
    process.on('SIGINT', exit)
    process.on('SIGTERM', exit)
  }
  const models = values
    .models!.split(',')
    .map((m) => m.trim())
    .filter(Boolean)
  if (values.standalone) {
    if (!doip) throw new Error('--standalone needs --doip-port: without a backend the vehicles are reached over DoIP only')
    // A workshop wants the same vehicle on every start: seed 1 unless told otherwise.
    const seed = values.seed === undefined ? 1 : number('seed', 0, 2 ** 31)
    const ecuSettings = values['max-block'] === undefined ? undefined : { maxNumberOfBlockLength: number('max-block', MIN_BLOCK, MAX_BLOCK) }
    const sim = await startStandaloneVehicles({
      count: number('count', 1, 1000),
      models,
      ecus: number('ecus', 1, 100),
      seed,
      doip,
      ecuSettings,
      log: (line) => console.error(line)
    })
    console.log(`${sim.specs.length} standalone simulated vehicle${sim.specs.length === 1 ? '' : 's'} (seed ${seed}), no backend:`)
    for (const line of sim.describe().slice(0, DESCRIBED * 2)) console.log(line)
    if (sim.entities.length > DESCRIBED) console.log(`… and ${sim.entities.length - DESCRIBED} more, vehicle i on port ${doip.port} + i`)
    console.log('Security access level 01, key = demoXorRotateKey(seed) (src/shared/uds). Ctrl-C stops them.')
    return stopOnSignal(sim.stop)
  }
  if (values['max-block'] !== undefined) throw new Error('--max-block is for --standalone vehicles: a connected fleet keeps 4096, the most one MQTT diagnostic request carries')
  if (!values.ca) throw new Error('--ca is required: the backend prints where its CA is (DATA/tls/ca.crt)')
  if (!values.token) throw new Error('--token (or OTA_TOKEN) is required: an operator or admin token, to register the vehicles')
  const healthFault = () => {
    const kind = values['health-fault']
    if (kind === undefined) return undefined
    if (!(HEALTH_FAULTS as readonly string[]).includes(kind)) throw new Error(`--health-fault ${kind}: it is one of ${HEALTH_FAULTS.join(', ')}`)
    return { kind: kind as HealthFault, rate: number('health-fault-rate', 0, 1), afterMs: number('health-fault-after-seconds', 0, 86_400) * 1000 }
  }
  const seed = values.seed === undefined ? Date.now() % 1_000_000 : number('seed', 0, 2 ** 31)
  const fleet = await startFleet({
    backendUrl: values.backend!,
    mqttUrl: values['mqtt-url']!,
    ca: readFileSync(values.ca!, 'utf8'),
    token: values.token!,
    count: number('count', 1, 100_000),
    models,
    ecus: number('ecus', 1, 100),
    failureRate: number('failure-rate', 0, 1),
    offlineRate: number('offline-rate', 0, 1),
    consentRefusalRate: number('consent-refusal-rate', 0, 1),
    deferral: { rate: number('deferral-rate', 0, 1), forMs: number('defer-minutes', 0, 10_080) * 60_000 },
    healthFault: healthFault(),
    ecuFaults: Object.fromEntries((values['fail-ecu'] ?? []).map((ecu) => [EcuId.parse(ecu), 'install-error' as const])),
    seed,
    stateDir: values.state,
    pq: values.pq!,
    pollMs: number('poll-seconds', 0, 86_400) * 1000,
    doip: doip && { ...doip, vehicles: values['doip-vehicles'] === undefined ? undefined : number('doip-vehicles', 1, 100_000) },
    log: (line) => console.error(line)
  })
  console.log(`${fleet.vehicles.length} simulated vehicles (seed ${seed}); ${fleet.offline.length} start offline. Ctrl-C stops them.`)
  fleet.entities.slice(0, DESCRIBED).forEach((entity, i) => describeEntity(entity, fleet.vehicles[i]!.diagnostics()).forEach((line) => console.log(line)))
  if (fleet.entities.length > DESCRIBED) console.log(`… and ${fleet.entities.length - DESCRIBED} more DoIP entities, vehicle i on port ${doip!.port} + i`)
  stopOnSignal(fleet.stop)
}

main().catch((err: Error) => {
  console.error(`vehicles: ${err.message}`)
  console.error(USAGE)
  process.exit(2)
})
