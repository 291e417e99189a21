import { startHostProcess } from '../test/support/host-process'
import { tempDir } from '../test/support/temp-dir'
import { expect, test } from './fixtures'

test('a first start shows the Local sandbox with a live fleet, with no setup', async ({ page }) => {
  test.setTimeout(180_000)
  const data = tempDir('ota-e2e-sandbox')
  const host = await startHostProcess(['--data-dir', data.dir, '--sandbox-vehicles', '12'])
  try {
    await page.goto(host.url)
    const sandboxStatus = page.getByRole('region', { name: 'Local sandbox' }).getByRole('status')
    const entry = page.getByRole('list', { name: 'Connection profiles' }).getByRole('button', { name: /Local sandbox/ })
    await expect(entry).toContainText('active')
    await expect(page.getByRole('heading', { name: 'Local sandbox' })).toBeVisible()
    await expect(sandboxStatus).toContainText('Running · 12 vehicles, 12 online', { timeout: 120_000 })

    await page.getByRole('button', { name: 'Test connection' }).click()
    const results = page.getByRole('region', { name: 'Connection test' })
    // The sandbox's backend and broker run on Node 24: both links settle on the hybrid group.
    for (const link of ['HTTPS', 'MQTT']) {
      const row = results.getByRole('listitem').filter({ hasText: link })
      await expect(row).toContainText('pass')
      await expect(row).toContainText('TLSv1.3 · key exchange X25519MLKEM768')
      await expect(row).toContainText('quantum-safe key exchange')
    }
    await results.screenshot({ path: 'test-results/e2e/connection-test-hybrid.png' })

    await page.getByRole('button', { name: 'Stop sandbox' }).click()
    await expect(sandboxStatus).toHaveText('Stopped')
    await page.getByRole('button', { name: 'Start sandbox' }).click()
    await expect(sandboxStatus).toContainText('Running · 12 vehicles', { timeout: 120_000 })

    await page.getByRole('button', { name: 'Reset sandbox' }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Reset and restart' }).click()
    await expect(sandboxStatus).toContainText('Starting', { timeout: 30_000 })
    await expect(sandboxStatus).toContainText('Running · 12 vehicles, 12 online', { timeout: 120_000 })
    await page.screenshot({ path: 'test-results/e2e/sandbox-running.png' })
  } catch (err) {
    console.log(host.output())
    throw err
  } finally {
    await host.stop()
    data.remove()
  }
})
