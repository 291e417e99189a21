import type { Page } from '@playwright/test'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import type { OtaApi } from '../src/shared/api'
import { expect, test } from './sandbox-fixture'
import { dropFile, handSigningBackToBackend, showScreen } from './steps'

const shot = (name: string) => ({ path: `test-results/e2e/${name}.png`, fullPage: true })

test('a campaign as a user runs it: upload, sign and publish firmware; a policy with two waves, watched live to completion, failures broken down; a second job canceled halfway', async ({
  page,
  openConsole,
  sandbox
}) => {
  test.setTimeout(600_000)
  await openConsole(page)

  // Vehicles that fail often, so the job's threshold pauses it.
  await showScreen(page, 'Connections')
  await page
    .getByRole('list', { name: 'Connection profiles' })
    .getByRole('button', { name: /Local sandbox/ })
    .click()
  await page.getByLabel('Injected failure rate (%)').fill('35')
  await page.getByRole('button', { name: 'Apply and restart' }).click()
  const sandboxState = page.getByRole('region', { name: 'Local sandbox' }).getByRole('status')
  await expect(sandboxState).toContainText('Starting', { timeout: 30_000 })
  await expect(sandboxState).toContainText('Running · 50 vehicles, 50 online', { timeout: 150_000 })
  await expect(page.getByRole('status').filter({ hasText: /Connected to Local sandbox as admin/ })).toContainText('Live', { timeout: 60_000 })

  // Firmware as a release manager brings it: dropped, described, signed with this console's
  // keychain key, published after a confirmation that names the effect.
  await showScreen(page, 'Firmware')
  const signing = page.getByRole('region', { name: 'Release signing' })
  const register = signing.getByRole('button', { name: 'Register this console’s release key' })
  const signedHere = signing.getByRole('status').filter({ hasText: 'Signed here with release key' })
  await expect(register.or(signedHere)).toBeVisible()
  if (await register.isVisible()) await register.click()
  await expect(signing.getByRole('status')).toContainText('Signed here with release key')
  try {
    for (const version of ['9.1.0', '9.2.0']) {
      await dropFile(page, `ecu001-${version}.bin`, 300_000)
      await expect(page.getByRole('region', { name: 'New release' }).getByRole('status')).toContainText(`Uploaded ecu001-${version}.bin`, { timeout: 60_000 })
      const form = page.getByRole('form', { name: 'Release details' })
      await form.getByLabel('Model').fill('model_a')
      await form.getByLabel('ECU').fill('ECU_001')
      await form.getByLabel('Version').fill(version)
      await form.getByLabel('Hardware revisions').fill(hardwareFor('model_a', 1))
      await form.getByRole('button', { name: 'Create release' }).click()
      const row = page
        .getByRole('region', { name: 'Releases' })
        .getByRole('region', { name: 'model_a' })
        .getByRole('table', { name: 'ECU_001' })
        .getByRole('row', { name: new RegExp(`^${version.replace(/\./g, '\\.')}`) })
      await row.getByRole('button', { name: 'Publish' }).click()
      await expect(page.getByRole('alertdialog')).toContainText(`model_a vehicles will be offered ${version} for ECU_001.`)
      await page.getByRole('alertdialog').getByRole('button', { name: 'Publish' }).click()
      await expect(row).toContainText('Published')
    }
    await campaign(page)
  } finally {
    await handSigningBackToBackend(page, sandbox.mintAdminToken())
    await page.evaluate(() => (globalThis as unknown as { ota: OtaApi }).ota.sandbox.setFailureRate({ percent: 5 }))
  }
})

async function campaign(page: Page) {
  // A template policy with two waves, with its live "selects N vehicles" preview.
  await showScreen(page, 'Policies')
  await page.getByRole('button', { name: 'New template' }).click()
  await page.getByLabel('Policy name').fill('model_a ECU_001 in two waves')
  await page.getByLabel('Release').selectOption({ label: 'model_a · ECU_001 · 9.1.0' })
  const wave1 = page.getByRole('listitem', { name: 'Wave 1' })
  await wave1.getByLabel('Size', { exact: true }).fill('10')
  await page.getByLabel('Judged after N finished').fill('5')
  await expect(page.getByRole('status').filter({ hasText: 'Selects' })).toHaveText(new RegExp(`Selects \\d+ vehicles \\(waves: 10 / \\d+\\)`))
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByRole('list', { name: 'Policies' }).getByRole('heading', { name: /^model_a ECU_001 in two waves/ })).toBeVisible()

  // A job from the policy, reviewed in words, then created and watched until it completes.
  await page.getByRole('button', { name: 'Create a job from model_a ECU_001 in two waves' }).click()
  await page.getByLabel('Job name').fill('ECU_001 to 9.1.0')
  await page.getByRole('button', { name: 'Review…' }).click()
  const plan = page.getByRole('list', { name: 'The plan, in words' })
  await expect(plan).toContainText('Wave 1, a canary: 10 vehicles (10 now).')
  await expect(plan).toContainText('Wave 2: every vehicle left')
  await expect(plan).toContainText('The job pauses when 20% of a wave’s finished updates have failed, judged once 5 have finished.')
  await page.getByRole('button', { name: 'Create job' }).click()
  await expect(page.getByRole('heading', { name: 'ECU_001 to 9.1.0' })).toBeVisible()
  await expect(page.getByLabel('State: Running')).toBeVisible()
  await page.screenshot(shot('campaign-running'))
  // A third of the updates fail: the failure threshold pauses the job and says why, in words.
  await expect(page.getByLabel('State: Paused')).toBeVisible({ timeout: 120_000 })
  await expect(page.getByRole('alert')).toContainText(/Paused by its threshold: wave \d: \d+ of \d+ finished executions failed/)
  await page.screenshot(shot('campaign-paused'))
  // Vehicles can join a job that has not ended; those that cannot are named, with the reason.
  await page.getByText('Add vehicles', { exact: true }).click()
  await page.getByLabel('VINs to add').fill('SMV00000000000099')
  await page.getByRole('button', { name: 'Add 1 vehicle' }).click()
  await expect(page.getByRole('status').filter({ hasText: '0 added, 1 left out.' })).toBeVisible()
  await expect(page.getByRole('list', { name: 'Vehicles left out' })).toContainText('SMV00000000000099: not eligible')
  // Resuming accepts the failures so far; it may pause again on later ones, until it completes.
  for (let resumes = 0; !(await page.getByLabel('State: Completed').isVisible()); resumes++) {
    expect(resumes).toBeLessThan(8)
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect(page.getByLabel(/^State: (Running|Completed)$/)).toBeVisible()
    await expect(page.getByLabel(/^State: (Completed|Paused)$/)).toBeVisible({ timeout: 120_000 })
  }
  const waves = page.getByRole('region', { name: 'Progress by wave' })
  await expect(waves.getByRole('listitem')).toHaveCount(2)
  await page.getByText(/^Failure breakdown/).click()
  await expect(page.getByRole('list', { name: 'Failures by cause' }).getByRole('listitem').first()).toBeVisible()
  await page.screenshot(shot('campaign-completed'))

  // Drill down: one vehicle's step log.
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Succeeded' })
  await page
    .getByRole('button', { name: /^Show the step log of / })
    .first()
    .click()
  await expect(page.getByRole('region', { name: /^Step log of / })).toContainText('done 100%')

  // A second job, canceled halfway: slow it down to one vehicle at a time.
  await page.getByRole('button', { name: '← All jobs' }).click()
  await page.getByRole('button', { name: 'New job' }).click()
  await page.getByLabel('Job name').fill('Canceled halfway')
  await page.getByRole('radio', { name: 'Scratch' }).check()
  await page.getByLabel('Release').selectOption({ label: 'model_a · ECU_001 · 9.2.0' })
  await page.getByLabel('Most vehicles updating at once').fill('1')
  await page.getByRole('button', { name: 'Review…' }).click()
  await page.getByRole('button', { name: 'Create job' }).click()
  await expect(page.getByLabel('State: Running')).toBeVisible()
  await expect(page.getByRole('region', { name: 'Progress by wave' })).toContainText('succeeded', { timeout: 60_000 })
  await page.getByRole('button', { name: 'Cancel job' }).click()
  await expect(page.getByLabel('State: Canceled')).toBeVisible({ timeout: 30_000 })
  await page.screenshot(shot('campaign-canceled'))
}
