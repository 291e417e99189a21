import { readFileSync } from 'node:fs'
import type { OtaApi } from '../src/shared/api'
import { expect, test } from './sandbox-fixture'

test('the audit log: filter by action and outcome, search, and export what matches as CSV', async ({ page, openConsole }) => {
  await openConsole(page)
  // A failed action to find: deleting a policy that does not exist.
  const missing = 'pol_00000000a0d17e55'
  expect(await page.evaluate((id) => (globalThis as unknown as { ota: OtaApi }).ota.policies.delete({ id }), missing)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  await page.getByRole('navigation').getByRole('button', { name: 'Audit log' }).click()
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible()
  const table = page.getByRole('table', { name: 'Audit log entries' })
  const rows = table.locator('tbody').getByRole('row')
  await expect(rows.first()).toBeVisible()

  await page.getByLabel('Outcome').selectOption({ label: 'Failed' })
  await page.getByLabel('Search').fill(missing)
  await expect(rows).toHaveCount(1)
  await expect(rows.first()).toContainText(`admin`)
  await expect(rows.first()).toContainText(`policy.delete${missing}Failed`)
  await page.getByLabel('Search').fill('')

  // The sandbox registered its vehicles as admin: each is an entry.
  await page.getByLabel('Action').selectOption('vehicle.register')
  await page.getByLabel('Outcome').selectOption({ label: 'OK' })
  const showing = page.getByRole('status').filter({ hasText: /Showing/ })
  await expect(rows.first()).toContainText('vehicle.register')
  await expect(showing).toHaveText(/^Showing all \d+ matching entries$/)
  // Other specs sharing this sandbox may register vehicles too; the sandbox's own are 50.
  const matching = Number(/\d+/.exec((await showing.textContent())!)![0])
  expect(matching).toBeGreaterThanOrEqual(50)
  await expect(rows).toHaveCount(matching)
  for (const row of await rows.all()) {
    await expect(row).toContainText('vehicle.register')
    await expect(row.getByText('OK', { exact: true })).toBeVisible()
  }
  await expect(rows.first()).toContainText(/SMV/)

  await page.getByLabel('Search').fill('nothing is called this')
  await expect(page.getByText('No entries match these filters.')).toBeVisible()
  await page.getByLabel('Search').fill('')
  await expect(rows).toHaveCount(matching)

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()])
  expect(download.suggestedFilename()).toMatch(/^audit-log-\d{4}-\d\d-\d\d-\d{4}\.csv$/)
  const csv = readFileSync(await download.path(), 'utf8')
  expect(csv.charCodeAt(0)).toBe(0xfeff)
  const lines = csv.slice(1).split('\r\n')
  expect(lines[0]).toBe('id,time_utc,actor,role,action,object,outcome,detail')
  expect(lines).toHaveLength(matching + 2)
  expect(lines[1]).toMatch(/^\d+,\d{4}-\d\d-\d\dT[\d:.]+Z,admin,admin,vehicle\.register,SMV\w+,ok,$/)
  await expect(page.getByRole('status').filter({ hasText: 'Exported' })).toHaveText(`Exported ${matching} entries to ${download.suggestedFilename()}.`)

  await page.getByRole('button', { name: 'Clear filters' }).click()
  await expect(page.getByLabel('Action')).toHaveValue('')
  await expect(rows.filter({ hasText: missing })).toHaveCount(1)
  await page.screenshot({ path: 'test-results/e2e/audit.png' })

  // Keyboard: the filters and actions are reachable by Tab, in reading order.
  await page.getByLabel('Search').focus()
  await page.keyboard.press('Tab')
  await expect(page.getByLabel('Actor')).toBeFocused()

  // In Japanese (the host is shared: the language goes back to the system's afterwards).
  const nav = page.getByRole('navigation')
  await nav.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  try {
    await nav.getByRole('button', { name: '監査ログ' }).click()
    await expect(page.getByRole('heading', { name: '監査ログ' })).toBeVisible()
    await page.getByLabel('結果').selectOption({ label: '失敗' })
    await expect(page.getByRole('table', { name: '監査ログの項目' }).getByRole('row').filter({ hasText: missing })).toContainText('失敗')
    await expect(page.getByRole('button', { name: 'CSV をエクスポート' })).toBeEnabled()
  } finally {
    await nav.getByRole('button', { name: '設定' }).click()
    await page.getByLabel('言語').selectOption('system')
  }
})
