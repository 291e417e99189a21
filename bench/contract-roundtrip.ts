// Round trips through the whole contract over the browser host's WebSocket (validate, dispatch,
// SQLite read, result envelope), as a ratio to bare WebSocket echoes measured in the same run.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import WebSocket, { WebSocketServer } from 'ws'
import { createCore } from '../src/core/create-core'
import { noKeychain } from './lib/support'
import { startHost } from '../src/host/server'
import { tempDir } from '../test/support/temp-dir'

const quick = process.argv.includes('--quick')
const CALLS = quick ? 500 : 20_000
const IN_FLIGHT = 32

// profiles.list reads no secret; a keychain-free store keeps the figure about the contract path.

async function pump(ws: WebSocket, frame: (id: number) => string) {
  let sent = 0
  let done = 0
  const latencies: number[] = []
  const started = new Map<number, number>()
  const t0 = performance.now()
  await new Promise<void>((resolve) => {
    const send = () => {
      const id = sent++
      started.set(id, performance.now())
      ws.send(frame(id))
    }
    ws.on('message', (data) => {
      const { id } = JSON.parse(data.toString()) as { id: number }
      latencies.push(performance.now() - started.get(id)!)
      if (++done === CALLS) resolve()
      else if (sent < CALLS) send()
    })
    for (let i = 0; i < IN_FLIGHT; i++) send()
  })
  const seconds = (performance.now() - t0) / 1000
  latencies.sort((a, b) => a - b)
  return { perSecond: CALLS / seconds, p99: latencies[Math.floor(latencies.length * 0.99)]! }
}

const open = (url: string) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.once('open', () => resolve(ws))
    ws.once('error', reject)
  })

async function main() {
  const data = tempDir('ota-bench')
  const core = await createCore({ dataDir: data.dir, version: 'bench', secrets: noKeychain, log: () => {} })
  for (let i = 0; i < 20; i++) {
    await core.dispatch('profiles.create', {
      name: `Fleet ${i}`,
      backendUrl: `https://fleet${i}.example`,
      mqttUrl: 'mqtts://b.example',
      username: 'u',
      authKind: 'password',
      caCertPem: null,
      clientCertPem: null
    })
  }
  const host = await startHost({ core, rendererDir: data.dir, bridgeFile: '/none' })
  const contractWs = await open(`ws://127.0.0.1:${host.port}/ota?token=${host.token}`)
  const contract = await pump(contractWs, (id) => JSON.stringify({ type: 'call', id, channel: 'profiles.list' }))

  const echoServer = createServer()
  const wss = new WebSocketServer({ server: echoServer })
  wss.on('connection', (ws) => ws.on('message', (m) => ws.send(JSON.stringify({ id: (JSON.parse(m.toString()) as { id: number }).id }))))
  await new Promise<void>((r) => echoServer.listen(0, '127.0.0.1', r))
  const echoWs = await open(`ws://127.0.0.1:${(echoServer.address() as AddressInfo).port}`)
  const echo = await pump(echoWs, (id) => JSON.stringify({ id }))

  contractWs.close()
  echoWs.close()
  wss.close()
  echoServer.close()
  await host.close()
  core.close()
  data.remove()
  const result = {
    calls: CALLS,
    profiles: 20,
    calls_per_s: Math.round(contract.perSecond),
    p99_ms: Number(contract.p99.toFixed(2)),
    echo_per_s: Math.round(echo.perSecond),
    ratio: Number((contract.perSecond / echo.perSecond).toFixed(3))
  }
  console.log(JSON.stringify(result))
}
void main()
