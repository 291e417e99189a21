import { test as base, expect, type Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { startHostProcess, type HostProcess } from '../test/support/host-process'
import { softhsmToken } from '../test/support/softhsm'
import { tempDir } from '../test/support/temp-dir'

export const SANDBOX_VEHICLES = 50

/**
 * One `npm run serve` host with the sandbox (embedded backend + 50 simulated vehicles) for all the
 * tests of a worker: starting it takes a while, so the feature tests share it and must not rely
 * on being alone in the fleet (they create their own releases, policies and jobs).
 */
/**
 * The sandbox's own admin token lives only in the console's memory, so a spec that calls the
 * backend as admin gets a token of its own, written into the sandbox backend's token table
 * (hashed, as the backend keeps it) once the sandbox runs.
 */
function mintAdminToken(dataDir: string) {
  const token = `ota_${randomBytes(32).toString('base64url')}`
  const db = new Database(join(dataDir, 'sandbox', 'backend', 'backend.sqlite'))
  try {
    db.prepare('INSERT INTO tokens (token_hash, name, role, vin, created_at) VALUES (?, ?, ?, NULL, ?)').run(
      createHash('sha256').update(token).digest('hex'),
      'e2e-admin',
      'admin',
      new Date().toISOString()
    )
  } finally {
    db.close()
  }
  return token
}

/** A release manager's smart card, as SoftHSM2 plays it: the host finds it through SOFTHSM2_CONF. */
export interface ReleaseCard {
  module: string
  token: string
  pin: string
}

export type SandboxHost = HostProcess & { mintAdminToken(): string; releaseCard: ReleaseCard }

export const test = base.extend<{ openConsole: (page: Page) => Promise<void> }, { sandbox: SandboxHost }>({
  sandbox: [
    async ({}, use) => {
      const data = tempDir('ota-e2e-fleet')
      const { module, token, pin } = softhsmToken(join(data.dir, 'release-card'), 'release-card', '482913')
      const host = await startHostProcess(['--data-dir', data.dir, '--sandbox-vehicles', String(SANDBOX_VEHICLES)])
      try {
        await use({ ...host, mintAdminToken: () => mintAdminToken(data.dir), releaseCard: { module, token, pin } })
      } finally {
        await host.stop()
        data.remove()
      }
    },
    { scope: 'worker', timeout: 180_000 }
  ],
  /** Opens the console and waits until it is signed in to the sandbox's backend. */
  openConsole: async ({ sandbox }, use) => {
    await use(async (page) => {
      await page.goto(sandbox.url)
      await expect(page.getByRole('status').filter({ hasText: /Connected to Local sandbox as admin/ })).toBeVisible({ timeout: 150_000 })
    })
  }
})
export { expect }
