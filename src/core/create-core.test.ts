import Database from 'better-sqlite3'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/temp-dir'
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
    core.close()

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
    core.close()
  })
})
