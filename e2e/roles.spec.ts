import type { OtaApi } from '../src/shared/api'
import { apiClient } from '../test/support/https-client'
import { expect, test } from './sandbox-fixture'
import { showScreen } from './steps'

const ota =
  (page: import('@playwright/test').Page) =>
  <T>(run: (api: OtaApi) => Promise<T>) =>
    page.evaluate(`(${run.toString()})(globalThis.ota)`) as Promise<T>

test('a viewer sees the campaign screens with what its role forbids disabled, and why', async ({ page, openConsole, sandbox: host }) => {
  await openConsole(page)
  const sandbox = await ota(page)(async (api) => {
    const r = await api.profiles.list()
    if (!r.ok) throw new Error(r.error.message)
    return r.value.profiles.find((p) => p.id === 'sandbox')!
  })
  const admin = host.mintAdminToken()
  const viewer = (await apiClient(sandbox.backendUrl, sandbox.caCertPem!).post('/api/v1/tokens', { token: admin, json: { name: 'auditor', role: 'viewer' } })).json.token as string

  // The viewer signs in with a profile of their own, as a user would fill it in.
  await showScreen(page, 'Connections')
  await page.getByRole('button', { name: 'New profile' }).click()
  await page.getByLabel('Name', { exact: true }).fill('Sandbox as viewer')
  await page.getByLabel('Backend URL', { exact: true }).fill(sandbox.backendUrl)
  await page.getByLabel('MQTT URL', { exact: true }).fill(sandbox.mqttUrl)
  await page.getByLabel('Username', { exact: true }).fill('auditor')
  await page.getByLabel('Authentication').selectOption({ label: 'API token' })
  await page.getByLabel('API token', { exact: true }).fill(viewer)
  await page.getByLabel('CA certificate (PEM)', { exact: true }).fill(sandbox.caCertPem!)
  await page.getByRole('button', { name: 'Save' }).click()
  await page
    .getByRole('list', { name: 'Connection profiles' })
    .getByRole('button', { name: /Sandbox as viewer/ })
    .click()
  try {
    await expect(page.getByRole('status').filter({ hasText: 'Connected to Sandbox as viewer as auditor (viewer)' })).toBeVisible({ timeout: 30_000 })

    await showScreen(page, 'Jobs')
    const newJob = page.getByRole('button', { name: 'New job' })
    await expect(newJob).toBeDisabled()
    await expect(newJob).toHaveAttribute('title', 'Role viewer may not job.create; it needs admin or operator')
    await showScreen(page, 'Policies')
    await expect(page.getByRole('button', { name: 'New template' })).toHaveAttribute('title', 'Role viewer may not policy.write; it needs admin or operator')
    await page.screenshot({ path: 'test-results/e2e/roles-viewer.png', fullPage: true })
  } finally {
    // The sandbox is shared with the worker's other specs: make it the active profile again.
    await ota(page)((api) => api.profiles.setActive({ id: 'sandbox' }))
  }
})
