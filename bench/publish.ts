// Publish as a release manager waits for it: from the console's releases.publish to the first
// check-update of a vehicle of the model that is offered the release. The console signs the TUF
// targets with its own key (an admin registered it), so publishing is the console fetching what
// the signature needs, signing, and sending it. A whole console core (createCore, a token profile)
// talks to `npm run backend` in its own process; every HTTPS request the core makes during a
// publish is counted through Node's http.client.request.start diagnostics channel. The baseline,
// measured first in the same run against the same backend, is the signer as it was before issue
// 14: every TUF file read one by one, the draft, the publish, all of it again, the signature (12
// requests), through the same API client with a key of its own. Both reach the backend through a
// relay that adds RTT_MS of round trip (default 20, a console in Europe and a backend in the same
// region's cloud; RTT_MS=0 is bare loopback). `--quick`: 3 publishes each.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { Agent } from 'node:https'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCore } from '../src/core/create-core'
import { createMemoryStore } from '../src/core/secrets/memory-store'
import { signCanonical, tufKeyOf, keyIdOf } from '../src/core/firmware/ed25519'
import { targetsMetadata } from '../src/core/firmware/targets-review'
import { nodeBackendApi } from '../src/net/https-transport'
import { buildApi } from '../src/shared/api'
import { SignedSnapshot, SignedTargets, SignedTimestamp, TargetsSigned } from '../src/shared/tuf/metadata'
import { apiClient } from '../test/support/https-client'
import { signIn, value } from '../test/support/profiles'
import { tempDir } from '../test/support/temp-dir'
import { latencyProxy } from './lib/latency-proxy'
import { backendProcess, percentile, quick } from './lib/support'
import { enrolledVehicle } from '../test/support/vehicle-keys'

const PUBLISHES = quick ? 3 : 20
const RTT_MS = Number(process.env.RTT_MS ?? 20)
const HARDWARE = 'model_a-ecu001-hw1'

async function main() {
  const dir = tempDir('ota-bench-publish')
  const stops: (() => Promise<void>)[] = []
  try {
    const backend = await backendProcess(join(dir.dir, 'backend'))
    stops.push(backend.stop)
    const token = backend.token!
    const caCertPem = readFileSync(backend.ca, 'utf8')
    const direct = new URL(backend.url)
    const relay = await latencyProxy({ host: direct.hostname, port: Number(direct.port) }, RTT_MS)
    stops.push(relay.close)
    const far = `https://${direct.hostname}:${relay.port}`
    const http = apiClient(backend.url, caCertPem)
    const vehicle = apiClient(backend.url, caCertPem, (await enrolledVehicle(http, token, { vin: 'BNCPVB00000000001', model: 'model_a', region: 'eu' })).identity)
    const offered = async () =>
      (await vehicle.post('/api/v1/device/check-update', { json: { ecus: [{ ecu: 'ECU_001', hardware: HARDWARE, version: '1.0.0' }] } })).json.updates?.[0]?.releaseId as
        string | undefined

    let requests = 0
    const count = () => void requests++
    let version = 0
    /** Publishes one new release with `publish` and times it, until a vehicle is offered it. */
    const measure = async (publish: (id: string) => Promise<unknown>) => {
      const publishMs: number[] = []
      const seenMs: number[] = []
      const requestCounts: number[] = []
      for (let i = 1; i <= PUBLISHES; i++) {
        const { sha256 } = (await http.post('/api/v1/artifacts', { token, body: randomBytes(4096) })).json
        const release = (
          await http.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version: `2.0.${++version}`, hardware: [HARDWARE], artifactSha256: sha256 } })
        ).json
        requests = 0
        subscribe('http.client.request.start', count)
        const started = performance.now()
        await publish(release.id)
        const published = performance.now()
        unsubscribe('http.client.request.start', count)
        requestCounts.push(requests)
        const seen = await offered()
        if (seen !== release.id) throw new Error(`after publishing ${release.id}, the vehicle was offered ${seen ?? 'nothing'}`)
        publishMs.push(published - started)
        seenMs.push(performance.now() - started)
      }
      return { requests: percentile(requestCounts, 0.5), publishMs: percentile(publishMs, 0.5), offeredMs: percentile(seenMs, 0.5), offeredMaxMs: Math.max(...seenMs) }
    }

    // The baseline: the signer before issue 14, with its own key in root.
    const agent = new Agent({ ca: caCertPem, keepAlive: true })
    stops.push(async () => agent.destroy())
    const api = nodeBackendApi(far, agent, { headers: { authorization: `Bearer ${token}` } })
    const { privateKey, publicKey } = generateKeyPairSync('ed25519')
    const baselineKey = tufKeyOf(publicKey)
    await api.tuf.rotate({ role: 'targets', targetsKey: baselineKey })
    const fileByFile = async () => {
      await api.tuf.metadata({ file: 'root.json' })
      const timestamp = SignedTimestamp.parse(await api.tuf.metadata({ file: 'timestamp.json' }))
      const snapshot = SignedSnapshot.parse(await api.tuf.metadata({ file: `${timestamp.signed.meta['snapshot.json'].version}.snapshot.json` }))
      const current = SignedTargets.parse(await api.tuf.metadata({ file: `${snapshot.signed.meta['targets.json']?.version ?? 1}.targets.json` }))
      return { current, draft: TargetsSigned.parse(await api.tuf.targetsDraft()) }
    }
    const baseline = await measure(async (id) => {
      await fileByFile()
      await api.releases.publish({ id })
      const { current, draft } = await fileByFile()
      const signed = targetsMetadata(Math.max(draft.version, current.signed.version + 1), draft.targets)
      await api.tuf.submitTargets({ signed, signatures: [{ keyid: keyIdOf(baselineKey), sig: signCanonical(privateKey, signed) }] })
    })

    // The release key in memory, not the OS keychain: it is read once per signing either way, and CI's smoke run needs no keyring.
    const core = await createCore({ dataDir: join(dir.dir, 'console'), version: 'bench', secrets: createMemoryStore(), log: (line) => console.error(`[core] ${line}`) })
    stops.unshift(core.close)
    const client = { api: buildApi({ invoke: core.dispatch, subscribe: () => () => undefined }) }
    await signIn(client, { url: far, mqttUrl: backend.mqttUrl, caCertPem }, token, 'Bench fleet')
    value(await client.api.signing.register())
    const consoleRun = await measure(async (id) => value(await client.api.releases.publish({ id })))

    const round = (n: number) => Number(n.toFixed(1))
    console.log(
      JSON.stringify({
        publishes: PUBLISHES,
        rtt_ms: RTT_MS,
        requests_per_publish: consoleRun.requests,
        baseline_requests_per_publish: baseline.requests,
        publish_ms_p50: round(consoleRun.publishMs),
        baseline_publish_ms_p50: round(baseline.publishMs),
        publish_to_offered_ms_p50: round(consoleRun.offeredMs),
        baseline_publish_to_offered_ms_p50: round(baseline.offeredMs),
        publish_to_offered_ms_max: round(consoleRun.offeredMaxMs),
        ratio_to_baseline: Number((consoleRun.offeredMs / baseline.offeredMs).toFixed(2))
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
