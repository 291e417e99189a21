// A console as `npm run serve` starts it, in a process whose environment reaches no Secret Service
// (the parent points D-Bus nowhere): what a bare machine gives a new user.
import { join } from 'node:path'
import { createCore } from '../../src/core/create-core'
import type { CallName } from '../../src/shared/contract'
import { sourceLauncher } from '../../src/core/sandbox/child'

const [dataDir] = process.argv.slice(2)
const root = join(__dirname, '../..')
const launcher = sourceLauncher(root)

async function main() {
  const core = await createCore({ dataDir: dataDir!, version: '0.0.0', sandbox: { launcher, vehicles: 2 }, log: () => {} })
  const call = (name: CallName, input?: unknown) => core.dispatch(name, input as never)
  const running = () =>
    new Promise<void>((resolve) => {
      const off = core.subscribe((event, payload) => {
        if (event !== 'sandbox.changed' || (payload as { state: string }).state === 'starting') return
        off()
        resolve()
      })
    })
  const report: Record<string, unknown> = {}
  await running()
  report.keychain = ((await call('app.status')) as { value: { keychain: unknown } }).value.keychain
  report.sandbox = await call('sandbox.status')
  report.session = await call('session.refresh')
  report.signing = await call('signing.register')
  report.realProfile = await call('profiles.create', {
    name: 'Plant A',
    backendUrl: 'https://fleet.example.test',
    mqttUrl: 'mqtts://broker.example.test',
    username: 'ops',
    authKind: 'password',
    caCertPem: null,
    clientCertPem: null,
    password: 'never-saved'
  })
  await call('sandbox.stop')
  report.restarted = await call('sandbox.start')
  report.sessionAfterRestart = await call('session.refresh')
  report.profiles = await call('profiles.list')
  await core.close()
  process.stdout.write(JSON.stringify(report))
}
void main()
