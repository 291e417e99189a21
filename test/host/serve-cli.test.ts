import { describe, expect, it } from 'vitest'
import { buildApi } from '../../src/shared/api'
import { openSocket } from '../support/clients'
import { startHostProcess } from '../support/host-process'
import { tempDir } from '../support/temp-dir'
import { migrations } from '../../src/core/store/migrations'
import { draft, value } from '../support/profiles'

describe('npm run serve', () => {
  it('prints a loopback URL with a per-start token and serves the contract there', async () => {
    const data = tempDir('ota-serve')
    const first = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'])
    const second = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'])
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/)
      expect(first.token).not.toBe(second.token)
      expect(first.output()).toContain(`data: ${data.dir}`)
      const socket = await openSocket(`ws://127.0.0.1:${first.port}/ota?token=${first.token}`)
      const status = value(await socket.raw('app.status', undefined)) as { store: unknown; dataDir: string }
      expect(status).toMatchObject({ dataDir: data.dir, store: { ok: true, schemaVersion: migrations.at(-1)!.version } })
      socket.ws.close()
    } finally {
      await first.stop()
      await second.stop()
      data.remove()
    }
  })

  it('without a keychain, says so and refuses to store a password, with no silent fallback', async () => {
    const data = tempDir('ota-serve')
    const host = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'], {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus',
      DISPLAY: ''
    })
    try {
      const socket = await openSocket(`ws://127.0.0.1:${host.port}/ota?token=${host.token}`)
      const api = buildApi({ invoke: socket.raw, subscribe: socket.listeners.add })
      const status = value(await api.app.status())
      expect(status.keychain).toEqual({ available: false, message: expect.stringMatching(/D-Bus|connect/i) })

      const refused = await api.profiles.create(draft({ password: 'must-not-be-stored' }))
      expect(refused).toMatchObject({
        ok: false,
        error: { code: 'KEYCHAIN_UNAVAILABLE', message: expect.stringContaining('The OS keychain is not available') }
      })
      expect(value(await api.profiles.list()).profiles).toEqual([])

      // A profile without secrets needs no keychain.
      expect(value(await api.profiles.create(draft())).hasPassword).toBe(false)
      socket.ws.close()
    } finally {
      await host.stop()
      data.remove()
    }
  })

  it('rejects a bad --port with a usage line', async () => {
    await expect(startHostProcess(['--port', 'eighty'])).rejects.toThrow(/--port must be 0-65535, got "eighty"[\s\S]*Usage: npm run serve/)
  })
})
