import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { startFleet } from './fleet'

const USAGE =
  'Usage: npm run vehicles -- --count N --ca FILE [--token TOKEN (or OTA_TOKEN)] [--backend https://127.0.0.1:8443] [--mqtt-url mqtts://127.0.0.1:8883] [--models a,b] [--ecus 10] [--failure-rate 0.1] [--offline-rate 0.05] [--consent-refusal-rate 0.1] [--deferral-rate 0.1] [--defer-minutes 30] [--seed S] [--state DIR] [--pq] [--poll-seconds 60]'

async function main() {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '10' },
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
      'defer-minutes': { type: 'string', default: '30' },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
      state: { type: 'string' },
      pq: { type: 'boolean', default: false },
      'poll-seconds': { type: 'string', default: '60' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return console.log(USAGE)
  if (!values.ca) throw new Error('--ca is required: the backend prints where its CA is (DATA/tls/ca.crt)')
  if (!values.token) throw new Error('--token (or OTA_TOKEN) is required: an operator or admin token, to register the vehicles')
  const number = (name: keyof typeof values, min: number, max: number) => {
    const n = Number(values[name])
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be between ${min} and ${max}, got "${values[name]}"`)
    return n
  }
  const fleet = await startFleet({
    backendUrl: values.backend!,
    mqttUrl: values['mqtt-url']!,
    ca: readFileSync(values.ca!, 'utf8'),
    token: values.token!,
    count: number('count', 1, 100_000),
    models: values.models!.split(',').map((m) => m.trim()).filter(Boolean),
    ecus: number('ecus', 1, 100),
    failureRate: number('failure-rate', 0, 1),
    offlineRate: number('offline-rate', 0, 1),
    consentRefusalRate: number('consent-refusal-rate', 0, 1),
    deferral: { rate: number('deferral-rate', 0, 1), forMs: number('defer-minutes', 0, 10_080) * 60_000 },
    seed: number('seed', 0, 2 ** 31),
    stateDir: values.state,
    pq: values.pq!,
    pollMs: number('poll-seconds', 0, 86_400) * 1000,
    log: (line) => console.error(line)
  })
  console.log(`${fleet.vehicles.length} simulated vehicles (seed ${values.seed}); ${fleet.offline.length} start offline. Ctrl-C stops them.`)
  const stop = async () => {
    await fleet.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: Error) => {
  console.error(`vehicles: ${err.message}`)
  console.error(USAGE)
  process.exit(2)
})
