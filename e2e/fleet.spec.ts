import type { Locator } from '@playwright/test'
import { expect, SANDBOX_VEHICLES, test } from './sandbox-fixture'

const cell = (row: Locator, column: number) => row.getByRole('gridcell').nth(column)

test('the fleet table filters, sorts, searches, keeps saved views and opens a vehicle with its ECU tree', async ({ page, openConsole }) => {
  test.setTimeout(240_000)
  await openConsole(page)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Fleet' }).click()
  await expect(page.getByRole('heading', { name: 'Fleet' })).toBeVisible()

  // Once the live counts show the whole sandbox online, a sync copies exactly that.
  await expect(page.getByText(`${SANDBOX_VEHICLES} vehicles · ${SANDBOX_VEHICLES} online`)).toBeVisible({ timeout: 120_000 })
  await expect(page.getByRole('button', { name: 'Sync now' })).toBeEnabled({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Sync now' }).click()
  await expect(page.getByRole('status').filter({ hasText: /^Synced / })).toBeVisible({ timeout: 30_000 })
  const grid = page.getByRole('grid', { name: 'Vehicles' })
  const shown = page.getByText(/^\d+ vehicles?$/)
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES} vehicles`)
  await expect(grid).toHaveAttribute('aria-rowcount', String(SANDBOX_VEHICLES + 1))
  const rows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') })
  // Rows of a new query arrive a moment after it: until then they are placeholders, aria-busy.
  const settled = () => expect(grid.locator('[role=row][aria-busy=true]')).toHaveCount(0)
  await expect(cell(rows.first(), 0)).toHaveText(/^SMV/)

  // Filters: model and online.
  await page.getByLabel('Model', { exact: true }).selectOption('model_a')
  await page.getByLabel('Status', { exact: true }).selectOption('online')
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES / 2} vehicles`)
  await settled()
  for (const model of await rows.locator('[role=gridcell]:nth-child(2)').allTextContents()) expect(model).toBe('model_a')

  // Sorting: VIN descending, then by last seen.
  const vinHeader = grid.getByRole('columnheader', { name: 'VIN' })
  await expect(vinHeader).toHaveAttribute('aria-sort', 'ascending')
  await vinHeader.getByRole('button').click()
  await expect(vinHeader).toHaveAttribute('aria-sort', 'descending')
  await settled()
  const vins = await rows.locator('[role=gridcell]:first-child').allTextContents()
  expect(vins.length).toBeGreaterThan(5)
  expect(vins).toEqual([...vins].sort().reverse())

  // A saved view keeps the filters and the sort; applying it brings both back.
  await page.getByRole('button', { name: 'Save view…' }).click()
  await page.getByLabel('View name').fill('Online model_a, newest VIN first')
  await page.getByRole('button', { name: 'Save view', exact: true }).click()
  await expect(page.getByLabel('Saved view')).toHaveValue(/^view_/)
  await page.getByRole('button', { name: 'Clear filters' }).first().click()
  await grid.getByRole('columnheader', { name: 'Last seen' }).getByRole('button').click()
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES} vehicles`)
  await expect(grid.getByRole('columnheader', { name: 'Last seen' })).toHaveAttribute('aria-sort', 'ascending')
  await page.getByLabel('Saved view').selectOption({ label: 'Online model_a, newest VIN first' })
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES / 2} vehicles`)
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('model_a')
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('online')
  await expect(vinHeader).toHaveAttribute('aria-sort', 'descending')

  // Search by a VIN prefix.
  const target = vins[2]!
  await page.getByLabel('VIN starts with').fill(target.slice(0, 11).toLowerCase())
  await expect(cell(rows.first(), 0)).toHaveText(target)
  for (const vin of await rows.locator('[role=gridcell]:first-child').allTextContents()) expect(vin.startsWith(target.slice(0, 11))).toBe(true)
  await page.getByLabel('VIN starts with').fill('')
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES / 2} vehicles`)
  await page.screenshot({ path: 'test-results/e2e/fleet.png', fullPage: true })

  // Keyboard: the grid moves its active row with the arrows and opens it with Enter.
  await grid.focus()
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('ArrowDown')
  await expect(grid).toHaveAttribute('aria-activedescendant', 'fleet-row-2')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: `Vehicle ${target}` })).toBeVisible()
  // Its maintenance windows run on its own clock: the zone it registered with.
  await expect(page.getByText('Time zone (maintenance windows)', { exact: true })).toBeVisible()
  await expect(page.getByText(/^(Europe|Asia|America)\/[A-Za-z_]+$/)).toBeVisible()
  const tree = page.getByRole('tree', { name: `ECUs of ${target}` })
  const gateway = tree.getByRole('treeitem', { name: /^Gateway 0x0E00 · model_a-gw-hw1 · \d+\.\d+\.\d+/ })
  await expect(gateway).toHaveAttribute('aria-expanded', 'true')
  await expect(tree.getByRole('treeitem', { name: /^ZGW_01/ })).toBeVisible()
  await expect(tree.getByRole('treeitem', { name: /^ECU_001 0x1001 · model_a-ecu001-hw1 · \d+\.\d+\.\d+ · SN\w{6}001$/ })).toBeVisible()
  await expect(tree.getByRole('treeitem')).toHaveCount(1 + 2 + 10)
  await gateway.focus()
  await page.keyboard.press('ArrowDown')
  await expect(tree.getByRole('treeitem', { name: /^ZGW_01/ })).toBeFocused()
  await page.keyboard.press('ArrowLeft')
  await expect(tree.getByRole('treeitem', { name: /^ZGW_01/ })).toHaveAttribute('aria-expanded', 'false')
  await expect(page.getByRole('heading', { name: 'Version history' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'Version history' }).getByRole('row').filter({ hasText: 'ECU_001' })).not.toHaveCount(0)
  await page.screenshot({ path: 'test-results/e2e/fleet-vehicle.png', fullPage: true })

  // Back: the table as it was left, filters and active row included.
  await page.getByRole('button', { name: '← Back to the fleet' }).click()
  await expect(grid).toBeFocused()
  await expect(grid).toHaveAttribute('aria-activedescendant', 'fleet-row-2')
  await expect(page.getByLabel('Model', { exact: true })).toHaveValue('model_a')
  await expect(shown).toHaveText(`${SANDBOX_VEHICLES / 2} vehicles`)
})
