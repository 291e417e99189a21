import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { createCore } from '../core/create-core'
import { sourceLauncher } from '../core/sandbox/child'
import { defaultDataDir, sourceVersion } from '../core/paths'
import { startHost } from './server'

const root = resolve(__dirname, '../..')
const USAGE = 'Usage: npm run serve -- [--port N] [--host ADDR] [--data-dir DIR] [--no-sandbox | --sandbox-reset] [--sandbox-vehicles N]'

async function main() {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string' },
      'no-sandbox': { type: 'boolean', default: false },
      'sandbox-reset': { type: 'boolean', default: false },
      'sandbox-vehicles': { type: 'string', default: '50' },
      help: { type: 'boolean', default: false }
    }
  })
  if (values.help) return console.log(USAGE)
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0-65535, got "${values.port}"`)

  const version = sourceVersion()
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir())
  const vehicles = Number(values['sandbox-vehicles'])
  if (!Number.isInteger(vehicles) || vehicles < 1 || vehicles > 10_000) throw new Error(`--sandbox-vehicles must be 1-10000, got "${values['sandbox-vehicles']}"`)
  // The host runs the backend and the vehicles from source, as `npm run backend` and `npm run vehicles` do.
  const launcher = sourceLauncher(root)
  const core = await createCore({ dataDir, version, sandbox: values['no-sandbox'] ? undefined : { launcher, vehicles } })
  if (values['sandbox-reset']) {
    const reset = await core.dispatch('sandbox.reset', undefined)
    console.log(reset.ok ? 'Sandbox reset: its backend and vehicles start afresh.' : `Sandbox reset failed: ${reset.error.message}`)
  }
  const host = await startHost({
    core,
    port,
    host: values.host,
    rendererDir: join(root, 'out/renderer'),
    bridgeFile: join(root, 'out/host-bridge/ota-bridge.js')
  })
  console.log(`OTA Fleet Console (data: ${dataDir})`)
  console.log(`Open ${host.url}`)
  const stop = async () => {
    await host.close()
    await core.close()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((err: Error) => {
  console.error(`serve: ${err.message}`)
  console.error(USAGE)
  process.exit(2)
})
