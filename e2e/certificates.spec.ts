import type { OtaApi } from '../src/shared/api'
import { apiClient } from '../test/support/https-client'
import { generateKeyPairSync } from 'node:crypto'
import { tufKeyOf } from '../src/core/firmware/ed25519'
import { ed25519Request } from '../src/crypto/x509'
import { throwawayKemKey } from '../test/support/vehicle-keys'
import { expect, test } from './sandbox-fixture'
import { showScreen } from './steps'

test('device certificates: counts and expiries by week, filters and saved views, revoke with a reason, a forced renewal, a vehicle’s history, in Japanese', async ({
  page,
  openConsole,
  sandbox: host
}) => {
  await openConsole(page)
  const sandbox = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { ota: OtaApi }).ota.profiles.list()
    if (!r.ok) throw new Error(r.error.message)
    return r.value.profiles.find((p) => p.id === 'sandbox')!
  })
  // A workshop console of this test's own to revoke: the sandbox's vehicles serve the other specs.
  const api = apiClient(sandbox.backendUrl, sandbox.caCertPem!)
  const signing = generateKeyPairSync('ed25519').privateKey
  const laptop = 'E2E stolen laptop'
  const registered = await api.post('/api/v1/offline/workshops', {
    token: host.mintAdminToken(),
    json: { name: laptop, signingKey: tufKeyOf(signing), encryptionKey: throwawayKemKey(), csrPem: await ed25519Request(laptop, signing) }
  })
  expect(registered.status).toBe(201)
  const stolen: string = registered.json.workshop.id

  await showScreen(page, 'Certificates')
  await expect(page.getByRole('heading', { name: 'Device certificates', level: 1 })).toBeVisible()
  const counts = page.getByRole('list', { name: 'Certificates by state' })
  const validButton = counts.getByRole('button', { name: /^Valid: \d+$/ })
  await expect(validButton).toBeVisible()
  const valid = Number(/\d+$/.exec((await validButton.getAttribute('aria-label'))!)![0])
  expect(valid).toBeGreaterThanOrEqual(51)
  // Every certificate here is 30 days old at most: all of them end in one of the next weeks.
  await expect(page.getByRole('img', { name: /^Certificates in use that expire in each of the next 12 weeks: week of .* \d+/ })).toBeVisible()
  const table = page.getByRole('table', { name: 'Device certificates' })
  const rows = table.locator('tbody').getByRole('row')
  await expect(rows).toHaveCount(valid)

  // Revoke the stolen workshop laptop's certificate, with a reason and a comment.
  await page.getByLabel('Holder').selectOption({ label: 'Workshop console' })
  await page.getByLabel('VIN or serial starts with').fill(stolen)
  await expect(rows).toHaveCount(1)
  await rows
    .first()
    .getByRole('button', { name: `Revoke the certificate of ${stolen}` })
    .click()
  const dialog = page.getByRole('dialog', { name: `Revoke the certificate of ${stolen}?` })
  await expect(dialog).toContainText('The workshop console is shut out at once: no bundle is made for it')
  await expect(dialog.getByLabel('Reason (RFC 5280)')).toBeFocused()
  await dialog.getByLabel('Reason (RFC 5280)').selectOption({ label: 'Key compromise (stolen or cloned)' })
  await dialog.getByLabel('Comment for the audit log').fill('laptop stolen from the van')
  await dialog.getByRole('button', { name: 'Revoke certificate' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('status').filter({ hasText: `Revoked the certificate` })).toContainText(stolen)
  await expect(rows.first()).toContainText('Revoked')
  await expect(rows.first()).toContainText('Key compromise (stolen or cloned), revoked by admin')
  await expect(rows.first().getByRole('button', { name: /Revoke the certificate/ })).toHaveCount(0)
  await expect(counts.getByRole('button', { name: /^Revoked: [1-9]\d*$/ })).toBeVisible()

  // The count filters the table; the filters are kept as a saved view.
  await page.getByRole('button', { name: 'Clear filters' }).click()
  await counts.getByRole('button', { name: /^Revoked: / }).click()
  await expect(counts.getByRole('button', { name: /^Revoked: / })).toHaveAttribute('aria-pressed', 'true')
  await expect(page.getByLabel('State', { exact: true })).toHaveValue('revoked')
  await expect(rows.filter({ hasText: stolen })).toHaveCount(1)
  await page.getByRole('button', { name: 'Save view…' }).click()
  await page.getByLabel('View name').fill('Revoked')
  await page.getByRole('button', { name: 'Save view', exact: true }).click()
  await expect(page.getByLabel('Saved view')).toHaveValue(/^view_/)
  await page.getByRole('button', { name: 'Clear filters' }).click()
  // Revoked certificates stay in the list; superseded ones are left out unless asked for.
  await expect(rows).toHaveCount(valid)
  await page.getByLabel('Saved view').selectOption({ label: 'Revoked' })
  await expect(page.getByLabel('State', { exact: true })).toHaveValue('revoked')

  // Ask a running sandbox vehicle to renew: it makes a new key, and the old certificate is superseded.
  await page.getByRole('button', { name: 'Clear filters' }).click()
  const vin = (await rows.first().getByRole('rowheader').textContent())!.slice(0, 17)
  await page.getByLabel('VIN or serial starts with').fill(vin)
  await expect(rows).toHaveCount(1)
  await rows
    .first()
    .getByRole('button', { name: `Ask ${vin} to renew its certificate now` })
    .click()
  await expect(page.getByRole('status').filter({ hasText: `Asked ${vin} to renew` })).toBeVisible()
  await page.getByLabel('State', { exact: true }).selectOption({ label: 'Superseded' })
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click()
    await expect(rows).toHaveCount(1, { timeout: 1_000 })
  }).toPass({ timeout: 20_000 })
  await page.screenshot({ path: 'test-results/e2e/certificates.png', fullPage: true })

  // The vehicle's page shows its history: the new certificate, the one it replaced.
  await showScreen(page, 'Fleet')
  await page.getByLabel('VIN starts with').fill(vin)
  await page.getByRole('grid').getByRole('row').filter({ hasText: vin }).first().click()
  const history = page.getByRole('table', { name: 'Device certificates' })
  await expect(history.locator('tbody').getByRole('row')).toHaveCount(2)
  await expect(history.locator('tbody').getByRole('row').first()).toContainText(/Valid|Expiring/)
  await expect(history.locator('tbody').getByRole('row').first()).toContainText('renewal of')
  await expect(history.locator('tbody').getByRole('row').nth(1)).toContainText('Superseded')

  // Keyboard: the filters are reachable by Tab, in reading order.
  await showScreen(page, 'Certificates')
  await page.getByLabel('VIN or serial starts with').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('State', { exact: true })).toBeFocused()

  // In Japanese (the host is shared: the language goes back to the system's afterwards).
  const nav = page.getByRole('navigation')
  await nav.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  try {
    await nav.getByRole('button', { name: '証明書' }).click()
    await expect(page.getByRole('heading', { name: 'デバイス証明書', level: 1 })).toBeVisible()
    await expect(page.getByRole('list', { name: '状態別の証明書' }).getByRole('button', { name: /^失効: \d+$/ })).toBeVisible()
    await page.getByRole('button', { name: '絞り込みを解除' }).click()
    await page.getByLabel('VIN またはシリアルの先頭').fill(stolen)
    const jaRows = page.getByRole('table', { name: 'デバイス証明書' }).locator('tbody').getByRole('row')
    await expect(jaRows.first()).toContainText('鍵の危殆化（盗難・複製）')
    await expect(page.getByRole('columnheader', { name: '有効期限' })).toBeVisible()
  } finally {
    await nav.getByRole('button', { name: '設定' }).click()
    await page.getByLabel('言語').selectOption('system')
  }
})
