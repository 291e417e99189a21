import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DoipTransport } from '../../src/core/uds-session/doip/doip-transport'
import { createDiagSession } from '../../src/core/uds-session/session'
import { createSandbox } from '../../src/core/sandbox/sandbox'
import { SandboxStatus } from '../../src/shared/sandbox'
import { tempDir } from '../support/temp-dir'
import { sourceLauncher } from '../../src/core/sandbox/child'

const root = join(__dirname, '../..')
/** As `npm run serve` runs them: the backend and the vehicles from source. */
const launcher = sourceLauncher(root)

/** Holds the standard DoIP port as a bench vehicle would; when something else holds it already, so much the better. */
const holdDoipPort = () =>
  new Promise<Server | undefined>((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(undefined))
    server.listen(13400, '127.0.0.1', () => resolve(server))
  })

describe('Local sandbox', () => {
  it('puts its first vehicle on DoIP on loopback, even with port 13400 taken, and its status says where and which VIN', async () => {
    const held = await holdDoipPort()
    const data = tempDir('ota-sandbox')
    const changes: SandboxStatus[] = []
    const sandbox = createSandbox({ dir: data.dir, launcher, vehicles: 3, onReady: async () => {}, onStatus: (s) => changes.push(s), log: () => {} })
    try {
      const status = SandboxStatus.parse(await sandbox.start())
      expect(status).toMatchObject({ state: 'running', message: null, doip: { host: '127.0.0.1', vin: expect.stringMatching(/^[A-HJ-NPR-Z0-9]{17}$/) } })
      expect(changes.at(-1)).toEqual(status)
      const { host, port, vin } = status.doip!

      // What the Workshop does with it: connect, activate routing, ask the gateway for its VIN.
      const session = createDiagSession(await DoipTransport.open({ host, port }))
      try {
        expect((await session.readDids(0x0e00, [0xf190]))[0]?.value).toBe(vin)
      } finally {
        await session.close()
      }

      expect(await sandbox.stop()).toMatchObject({ state: 'off', doip: null })
      await expect(DoipTransport.open({ host, port })).rejects.toThrow(/connection refused/)
    } finally {
      await sandbox.stop()
      held?.close()
      data.remove()
    }
  }, 180_000)

  it("runs on a machine with no OS keychain, with a token made afresh at each start; a real profile's secret still needs the keychain", async () => {
    const data = tempDir('ota-sandbox-nokeychain')
    try {
      // The keychain library picks its D-Bus connection once per process: a fresh one, pointed nowhere.
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(root, 'test/support/console-without-keychain.ts'), data.dir], {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
        timeout: 170_000
      })
      const report = JSON.parse(stdout)
      expect(report.keychain).toMatchObject({ available: false })
      expect(report.sandbox).toMatchObject({ ok: true, value: { state: 'running', vehicles: 2 } })
      expect(report.session).toMatchObject({ ok: true, value: { profileId: 'sandbox', identity: { name: 'admin', role: 'admin' } } })
      // Its release key is held in memory, so a campaign can be signed and published too.
      expect(report.signing).toMatchObject({ ok: true, value: { signer: 'console', key: { keyid: expect.any(String) } } })
      expect(report.realProfile).toMatchObject({
        ok: false,
        error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringMatching(/^The OS keychain is not available .*nothing was saved/) }
      })
      expect(report.profiles.value.profiles.map((p: { name: string }) => p.name)).toEqual(['Local sandbox'])
      expect(report.restarted).toMatchObject({ ok: true, value: { state: 'running' } })
      expect(report.sessionAfterRestart).toMatchObject({ ok: true, value: { identity: { name: 'admin', role: 'admin' } } })
    } finally {
      data.remove()
    }
  }, 180_000)
})
