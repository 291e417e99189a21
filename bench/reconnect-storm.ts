// A broker restart under 2,000 MQTT clients: how long until all are back, and the largest share of
// the fleet that connects within one second, with the vehicles' backoff and with a fixed 1 s retry.
import { performance } from 'node:perf_hooks'
import mqtt, { type MqttClient } from 'mqtt'
import { reconnectWithBackoff, VEHICLE_RECONNECT } from '../src/shared/reconnect'
import { startMosquitto, type RunningMosquitto } from '../test/support/mosquitto'
import { makePki, type TestPki } from '../test/support/pki'
import { tempDir } from '../test/support/temp-dir'
import { percentile, quick } from './lib/support'

const COUNT = quick ? 100 : 2_000
const BATCH = 100
const PASSWORD = 'reconnect-storm'
// Generous: the backoff's cap bounds the wait once the broker is back.
const GIVE_UP_MS = 120_000

type Policy = 'backoff' | 'fixed'

const connectOnce = (client: MqttClient) => new Promise<void>((resolve) => client.once('connect', () => resolve()))

/** Vehicles' MQTT sessions without the rest of a vehicle: TLS, a password, the vehicles' policy or mqtt.js's fixed period. */
async function connectFleet(broker: RunningMosquitto, pki: TestPki, policy: Policy) {
  const clients: MqttClient[] = []
  for (let first = 0; first < COUNT; first += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, COUNT - first) }, (_, i) => {
      const client = mqtt.connect(broker.url, {
        clientId: `${policy}-${first + i}`,
        username: 'vehicle',
        password: PASSWORD,
        ca: pki.caCertPem,
        clean: true,
        reconnectPeriod: 1_000
      })
      // Refused attempts while the broker is down.
      client.on('error', () => {})
      if (policy === 'backoff') reconnectWithBackoff(client, VEHICLE_RECONNECT)
      return client
    })
    await Promise.all(batch.map(connectOnce))
    clients.push(...batch)
  }
  return clients
}

/** Restarts the broker under the fleet; each client's reconnect time is counted from the moment it stopped. */
async function storm(broker: RunningMosquitto, clients: MqttClient[]) {
  const back: number[] = []
  let allBack: () => void = () => {}
  const done = new Promise<void>((resolve) => (allBack = resolve))
  const stoppedAt = performance.now()
  for (const client of clients)
    client.once('close', () =>
      client.once('connect', () => {
        back.push((performance.now() - stoppedAt) / 1000)
        if (back.length === clients.length) allBack()
      })
    )
  await broker.restart()
  const downS = (performance.now() - stoppedAt) / 1000
  let timer: NodeJS.Timeout | undefined
  await Promise.race([done, new Promise<void>((resolve) => (timer = setTimeout(resolve, GIVE_UP_MS)))])
  clearTimeout(timer)
  back.sort((a, b) => a - b)
  // The fullest one-second window, wherever it starts.
  let peak = 0
  for (let i = 0, j = 0; i < back.length; i++) {
    while (back[i]! - back[j]! > 1) j++
    peak = Math.max(peak, i - j + 1)
  }
  await Promise.all(clients.map((c) => c.endAsync(true)))
  return {
    down_s: +downS.toFixed(2),
    reconnected: back.length,
    all_reconnected_s: back.length === clients.length ? +back.at(-1)!.toFixed(2) : null,
    median_reconnected_s: +percentile(back, 0.5).toFixed(2),
    peak_share_per_s: +(peak / clients.length).toFixed(3)
  }
}

async function main() {
  const dir = tempDir('ota-bench-storm')
  const pki = makePki(dir.dir)
  const broker = await startMosquitto(dir.dir, pki, { vehicle: PASSWORD })
  try {
    const baseline = await storm(broker, await connectFleet(broker, pki, 'fixed'))
    const backoff = await storm(broker, await connectFleet(broker, pki, 'backoff'))
    console.log(`fixed 1 s: ${JSON.stringify(baseline)}`)
    console.log(`backoff ${VEHICLE_RECONNECT.baseMs} ms..${VEHICLE_RECONNECT.capMs} ms: ${JSON.stringify(backoff)}`)
    console.log(
      JSON.stringify({
        clients: COUNT,
        policy: VEHICLE_RECONNECT,
        down_s: backoff.down_s,
        reconnected: backoff.reconnected,
        all_reconnected_s: backoff.all_reconnected_s,
        median_reconnected_s: backoff.median_reconnected_s,
        peak_share_per_s: backoff.peak_share_per_s,
        baseline_down_s: baseline.down_s,
        baseline_reconnected: baseline.reconnected,
        baseline_all_reconnected_s: baseline.all_reconnected_s,
        baseline_median_reconnected_s: baseline.median_reconnected_s,
        baseline_peak_share_per_s: baseline.peak_share_per_s,
        peak_ratio: +(backoff.peak_share_per_s / baseline.peak_share_per_s).toFixed(3)
      })
    )
  } finally {
    await broker.stop()
    dir.remove()
  }
}
void main()
