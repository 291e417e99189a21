import { readFileSync } from 'node:fs'
import type { OtaApi } from '../src/shared/api'
import { expect, SANDBOX_VEHICLES, test } from './sandbox-fixture'
import { showScreen } from './steps'

/** Nodes that answer UDS in a sandbox vehicle: its gateway and 10 ECUs. */
const NODES = 11

// The Diagnostics screen against the sandbox's fleet, through the backend's relay: a DID read of
// three gateways decoded, a raw request refused with its NRC by name, then a DTC read of every ECU
// of the model_a vehicles with progress, the aggregation per zonal gateway and ECU, the chart of the
// most frequent DTCs, the history, and the run exported as CSV.
test('reads F190 and a raw request on a few vehicles, then the DTCs of every model_a vehicle, aggregated and exported', async ({ page, openConsole }) => {
  test.setTimeout(180_000)
  await openConsole(page)
  // The fleet copy fills on connection; the model filter lists what it holds.
  await expect
    .poll(
      async () =>
        page.evaluate(async () => {
          const r = await (globalThis as unknown as { ota: OtaApi }).ota.fleet.facets()
          return r.ok ? r.value.total : 0
        }),
      { timeout: 60_000 }
    )
    .toBe(SANDBOX_VEHICLES)
  await showScreen(page, 'Diagnostics')
  await expect(page.getByRole('heading', { name: 'Diagnostics', level: 1 })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'No vehicle chosen yet.' })).toBeVisible()
  const send = page.getByRole('button', { name: 'Send', exact: true })
  await expect(send).toBeDisabled()

  // Three model_a vehicles by filter, their gateways, F190 from the catalog.
  const vehicles = page.getByRole('group', { name: 'Vehicles' })
  await vehicles.getByLabel('Model').selectOption('model_a')
  await vehicles.getByLabel('At most').fill('3')
  await vehicles.getByRole('button', { name: 'Choose vehicles' }).click()
  const chosen = vehicles.getByRole('status')
  await expect(chosen).toHaveText(/^3 vehicles chosen: /)
  const vins = (await chosen.textContent())!.replace(/^3 vehicles chosen: /, '').split(', ')
  expect(vins).toHaveLength(3)
  await page.getByRole('list', { name: 'ECUs to ask' }).getByRole('checkbox', { name: 'GATEWAY' }).check()
  await expect(page.getByRole('checkbox', { name: 'Every ECU of each vehicle' })).not.toBeChecked()
  await expect(page.getByLabel('Service', { exact: true })).toHaveValue('readDids')
  await expect(page.getByRole('button', { name: 'F190 VIN' })).toHaveAttribute('aria-pressed', 'true')
  await send.click()
  await expect(page.getByRole('status').filter({ hasText: /^Done: 3 of 3 vehicles/ })).toBeVisible()
  const answers = page.getByRole('list', { name: 'Answers' }).getByRole('listitem')
  await expect(answers).toHaveCount(3)
  for (const vin of vins) {
    const answer = answers.filter({ hasText: `${vin} · GATEWAY (0x0E00): F190 VIN: ${vin}` })
    await expect(answer.getByRole('table', { name: 'Data identifiers' }).getByRole('row', { name: /F190/ })).toContainText(['F190', 'VIN', vin].join(''))
  }

  // A raw request the gateways refuse: the NRC by name.
  await page.getByLabel('Service', { exact: true }).selectOption('raw')
  await page.getByLabel('Request (hex)').fill('22 12 34')
  await send.click()
  await expect(page.getByRole('status').filter({ hasText: /^Done: 3 of 3 vehicles .* 0 answered, 3 refused/ })).toBeVisible()
  await expect(answers).toHaveCount(3)
  await expect(answers.first()).toContainText('requestOutOfRange (NRC 31)')
  await expect(answers.first()).toContainText('Refused (7F 22 31): requestOutOfRange — ')

  // Every ECU of every model_a vehicle: the DTC read in a batch.
  await vehicles.getByLabel('At most').fill('200')
  await vehicles.getByRole('button', { name: 'Choose vehicles' }).click()
  const modelA = SANDBOX_VEHICLES / 2
  await expect(chosen).toHaveText(new RegExp(`^${modelA} vehicles chosen: `))
  await page.getByRole('checkbox', { name: 'Every ECU of each vehicle' }).check()
  await expect(page.getByRole('list', { name: 'ECUs to ask' }).getByRole('checkbox', { name: 'GATEWAY' })).not.toBeChecked()
  await page.getByLabel('Service', { exact: true }).selectOption('readDtcs')
  await expect(page.getByLabel('Status mask')).toHaveValue('255')
  await send.click()
  // Progress while it runs (the bar), then the outcome.
  const done = page.getByRole('status').filter({ hasText: new RegExp(`^Done: ${modelA} of ${modelA} vehicles`) })
  await expect(page.getByRole('progressbar', { name: 'Vehicles done' }).or(done)).toBeVisible()
  await expect(done).toBeVisible({ timeout: 60_000 })
  await expect(done).toContainText(`${modelA * NODES} answered, 0 refused, 0 without answer; 0 vehicles not reached.`)

  const byEcu = page.getByRole('table', { name: 'DTCs per zonal gateway and ECU' })
  await expect(byEcu.getByRole('row')).toHaveCount(1 + NODES)
  await expect(byEcu.getByRole('row', { name: /central GATEWAY/ })).toContainText(`centralGATEWAY${modelA}${modelA}00`)
  await expect(byEcu.getByRole('row', { name: /ECU_001/ })).toContainText(`ZGW_01ECU_001${modelA}${modelA}00`)
  await expect(byEcu.getByRole('row', { name: /ECU_002/ })).toContainText(`ZGW_02ECU_002${modelA}${modelA}00`)
  const top = page.getByRole('list', { name: 'Most frequent DTCs' }).getByRole('listitem')
  await expect(top).toHaveCount(10)
  await expect(top.first()).toContainText(/^[PCBU][0-9A-F]{4}-[0-9A-F]{2} \((GATEWAY|ECU_\d{3})(, (GATEWAY|ECU_\d{3}))*\)\d+$/)
  await expect(page.getByRole('heading', { name: `Answers (50 of ${modelA * NODES})` })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Answers' }).getByRole('listitem').first().getByRole('table', { name: 'DTCs' })).toBeHidden()

  const history = page.getByRole('table', { name: 'Diagnostic history' })
  await expect(history.getByRole('row')).toHaveCount(4)
  await expect(history.getByRole('row').nth(1)).toContainText(
    `Read DTCs (19 02, mask FF)Every ECU of each vehicle${modelA}Done: ${modelA * NODES} answered, 0 refused, 0 without answer, 0 not reached`
  )
  await expect(history.getByRole('row').nth(3)).toContainText('Read F190GATEWAY3Done: 3 answered')
  await page.screenshot({ path: 'test-results/e2e/diagnostics.png', fullPage: true })

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('region', { name: 'Result' }).getByRole('button', { name: 'Export CSV' }).click()])
  expect(download.suggestedFilename()).toMatch(/^diagnostics-drn_[0-9a-f]{16}\.csv$/)
  const csv = readFileSync(await download.path(), 'utf8')
  const lines = csv.split('\r\n')
  expect(lines[0]).toBe('\uFEFFvin,model,zonal_gateway,ecu,address,request,outcome,summary,dtcs,nrc,error,elapsed_ms,time_utc')
  expect(lines.slice(1, -1)).toHaveLength(modelA * NODES)
  expect(lines.at(-1)).toBe('')
  expect(lines.slice(1, -1).every((l) => /^SMV\w{14},model_a,(ZGW_0\d)?,(GATEWAY|ECU_\d{3}),0x[0-9A-F]{4},1902FF,positive,\d+ DTCs,/.test(l))).toBe(true)

  // An earlier run opens again from the history.
  await history
    .getByRole('button', { name: /^Open the run of / })
    .last()
    .click()
  await expect(page.getByRole('list', { name: 'Answers' }).getByRole('listitem')).toHaveCount(3)
  await expect(page.getByRole('list', { name: 'Answers' })).toContainText(`F190 VIN: ${vins[0]}`)
})
