import { test as base, expect } from '@playwright/test'
import { startHostProcess, type HostProcess } from '../test/support/host-process'
import { tempDir } from '../test/support/temp-dir'

/** Each test gets its own `npm run serve` host with a fresh data directory. */
export const test = base.extend<{ host: HostProcess & { dataDir: string } }>({
  host: async ({}, use) => {
    const data = tempDir('ota-e2e')
    const host = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'])
    await use({ ...host, dataDir: data.dir })
    await host.stop()
    data.remove()
  }
})
export { expect }
