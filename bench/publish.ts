// Publish as a release manager waits for it: from the console's releases.publish to the first
// check-update of a vehicle of the model that is offered the release. The console signs the TUF
// targets with its own key (an admin registered it), so publishing is the console fetching what
// the signature needs, signing, and sending it. A whole console core (createCore, a token profile)
// talks to `npm run backend` in its own process; every HTTPS request the core makes during a
// publish is counted through Node's http.client.request.start diagnostics channel. `--quick`: 3
// publishes instead of 20.
import { randomBytes } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../src/core/create-core'
import { createMemoryStore } from '../src/core/secrets/memory-store'
import { buildApi } from '../src/shared/api'
import { apiClient } from '../test/support/https-client'
import { signIn, value } from '../test/support/profiles'
import { tempDir } from '../test/support/temp-dir'
import { backendProcess, percentile, quick } from './lib/support'

const PUBLISHES = quick ? 3 : 20
const HARDWARE = 'model_a-ecu001-hw1'

async function main() {
  const dir = tempDir('ota-bench-publish')
  const stops: (() => Promise<void>)[] = []
  try {
    const backend = await backendProcess(join(dir.dir, 'backend'))
    stops.push(backend.stop)
    const token = backend.token!
    const caCertPem = readFileSync(backend.ca, 'utf8')
    const http = apiClient(backend.url, caCertPem)
    const vehicle = (await http.post('/api/v1/vehicles', { token, json: { vin: 'BNCPVB00000000001', model: 'model_a', region: 'eu' } })).json.token as string
    const offered = async () =>
      (await http.post('/api/v1/device/check-update', { token: vehicle, json: { ecus: [{ ecu: 'ECU_001', hardware: HARDWARE, version: '1.0.0' }] } })).json.updates?.[0]
        ?.releaseId as string | undefined

    // The release key in memory, not the OS keychain: it is read once per signing either way, and CI's smoke run needs no keyring.
    const core = await createCore({ dataDir: join(dir.dir, 'console'), version: 'bench', secrets: createMemoryStore(), log: (line) => console.error(`[core] ${line}`) })
    stops.unshift(core.close)
    const client = { api: buildApi({ invoke: core.dispatch, subscribe: () => () => undefined }) }
    await signIn(client, { url: backend.url, mqttUrl: backend.mqttUrl, caCertPem }, token, 'Bench fleet')
    value(await client.api.signing.register())

    let requests = 0
    const count = () => void requests++
    const publishMs: number[] = []
    const seenMs: number[] = []
    const requestCounts: number[] = []
    for (let i = 1; i <= PUBLISHES; i++) {
      const { sha256 } = (await http.post('/api/v1/artifacts', { token, body: randomBytes(4096) })).json
      const release = value(await client.api.releases.create({ model: 'model_a', ecu: 'ECU_001', version: `2.0.${i}`, hardware: [HARDWARE], notes: '', artifactSha256: sha256 }))
      requests = 0
      subscribe('http.client.request.start', count)
      const started = performance.now()
      value(await client.api.releases.publish({ id: release.id }))
      const published = performance.now()
      unsubscribe('http.client.request.start', count)
      requestCounts.push(requests)
      const seen = await offered()
      if (seen !== release.id) throw new Error(`after publishing ${release.id}, the vehicle was offered ${seen ?? 'nothing'}`)
      publishMs.push(published - started)
      seenMs.push(performance.now() - started)
    }
    const round = (n: number) => Number(n.toFixed(1))
    console.log(
      JSON.stringify({
        publishes: PUBLISHES,
        requests_per_publish: percentile(requestCounts, 0.5),
        requests_max: Math.max(...requestCounts),
        publish_ms_p50: round(percentile(publishMs, 0.5)),
        publish_ms_max: round(Math.max(...publishMs)),
        publish_to_offered_ms_p50: round(percentile(seenMs, 0.5)),
        publish_to_offered_ms_max: round(Math.max(...seenMs))
      })
    )
  } finally {
    for (const stop of stops) await stop()
    dir.remove()
  }
}
main().catch((err: Error) => {
  console.error(`publish: ${err.stack ?? err.message}`)
  process.exitCode = 1
})
