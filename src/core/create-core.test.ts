import Database from 'better-sqlite3'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { draft } from '../../test/support/profiles'
import { tempDir } from '../../test/support/temp-dir'
import { ProfileView } from '../shared/profile'
import { createCore } from './create-core'
import { DATABASE_FILE, openDatabase } from './store/database'
import { migrations } from './store/migrations'

describe('createCore', () => {
  const dirs: { remove(): void }[] = []
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()))

  it('reports a store that cannot be migrated, refuses store calls, and changes nothing', async () => {
    const data = tempDir('ota-core')
    dirs.push(data)
    openDatabase(data.dir).db.close()
    const logged: string[] = []
    const core = await createCore({
      dataDir: data.dir,
      version: '9.9.9',
      log: (line) => logged.push(line),
      migrations: [...migrations, { version: 99, name: 'add fleets', up: (db) => db.exec('CREATE TABLE fleets (id TEXT); SELECT * FROM missing') }]
    })

    const status = await core.dispatch('app.status', undefined)
    expect(status).toMatchObject({
      ok: true,
      value: {
        store: {
          ok: false,
          message: expect.stringMatching(
            new RegExp(
              `could not be opened: Migration 99 \\(add fleets\\) failed: no such table: missing\\. The database was left unchanged at schema version ${migrations.at(-1)!.version}\\.`
            )
          )
        }
      }
    })
    expect(await core.dispatch('profiles.list', undefined)).toMatchObject({ ok: false, error: { code: 'STORE_UNAVAILABLE' } })
    expect(logged.join('\n')).toMatch(/Migration 99/)
    expect(() => core.local()).toThrow(/could not be opened: Migration 99/)
    await core.close()

    const db = new Database(join(data.dir, DATABASE_FILE), { readonly: true })
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'fleets'").get()).toEqual({ n: 0 })
    db.close()
  })

  it('reports the store and keychain as healthy on a fresh data directory', async () => {
    const data = tempDir('ota-core')
    dirs.push(data)
    const core = await createCore({ dataDir: join(data.dir, 'nested', 'dir'), version: '1.2.3', log: () => {} })
    const status = await core.dispatch('app.status', undefined)
    expect(status).toEqual({
      ok: true,
      value: { version: '1.2.3', dataDir: join(data.dir, 'nested', 'dir'), store: { ok: true, schemaVersion: migrations.at(-1)!.version }, keychain: { available: true } }
    })
    await core.close()
  })

  it('without the live session, opens no connection at start, and its local services are the ones the contract uses (otactl)', async () => {
    const data = tempDir('ota-core')
    dirs.push(data)
    let connections = 0
    const backend = createServer((socket) => {
      connections++
      socket.destroy()
    })
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve))
    const port = (backend.address() as AddressInfo).port
    try {
      const first = await createCore({ dataDir: data.dir, version: '1.0.0', live: false, log: () => {} })
      const made = await first.dispatch(
        'profiles.create',
        draft({ name: 'Office', password: 'office-secret', backendUrl: `https://127.0.0.1:${port}/`, mqttUrl: `mqtts://127.0.0.1:${port}/` })
      )
      if (!made.ok) throw new Error(made.error.message)
      const profile = ProfileView.parse(made.value)
      await first.dispatch('profiles.setActive', { id: profile.id })
      await first.close()

      const cli = await createCore({ dataDir: data.dir, version: '1.0.0', live: false, log: () => {} })
      expect(cli.local().profiles.list()).toEqual({ profiles: [profile], activeId: profile.id })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(connections).toBe(0)
      await cli.close()

      // The console's own start does check the active profile's backend.
      const app = await createCore({ dataDir: data.dir, version: '1.0.0', log: () => {} })
      await expect.poll(() => connections, { timeout: 5000 }).toBeGreaterThan(0)
      await app.close()
    } finally {
      backend.close()
    }
  })
})
