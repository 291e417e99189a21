import { test as base, expect, type Page } from '@playwright/test'
import { startHostProcess, type HostProcess } from '../test/support/host-process'
import { tempDir } from '../test/support/temp-dir'

export const SANDBOX_VEHICLES = 50

/**
 * One `npm run serve` host with the sandbox (embedded backend + 50 simulated vehicles) for all the
 * tests of a worker: starting it takes a while, so the feature tests share it and must not rely
 * on being alone in the fleet (they create their own releases, policies and jobs).
 */
export const test = base.extend<{ openConsole: (page: Page) => Promise<void> }, { sandbox: HostProcess }>({
  sandbox: [
    async ({}, use) => {
      const data = tempDir('ota-e2e-fleet')
      const host = await startHostProcess(['--data-dir', data.dir, '--sandbox-vehicles', String(SANDBOX_VEHICLES)])
      try {
        await use(host)
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
