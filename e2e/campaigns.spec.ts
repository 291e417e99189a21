import { randomBytes } from 'node:crypto'
import keytar from 'keytar'
import { KEYCHAIN_SERVICE } from '../src/core/secrets/secret-store'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { apiClient } from '../test/support/https-client'
import type { OtaApi } from '../src/shared/api'
import { expect, test } from './sandbox-fixture'

const shot = (name: string) => ({ path: `test-results/e2e/${name}.png`, fullPage: true })

test('a staged campaign from a policy: two waves, watched live to completion, failures broken down; a second job canceled halfway', async ({ page, openConsole }) => {
  test.setTimeout(300_000)
  await openConsole(page)

  // A published release of the sandbox's model (the firmware screen has its own test).
  const profile = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { ota: OtaApi }).ota.profiles.list()
    if (!r.ok) throw new Error(r.error.message)
    return r.value.profiles.find((p) => p.id === r.value.activeId)!
  })
  const token = (await keytar.getPassword(KEYCHAIN_SERVICE, 'sandbox/admin-token'))!
  const api = apiClient(profile.backendUrl, profile.caCertPem!)
  for (const version of ['9.1.0', '9.2.0']) {
    const { sha256 } = (await api.post('/api/v1/artifacts', { token, body: randomBytes(40_000) })).json
    const release = (await api.post('/api/v1/releases', { token, json: { model: 'model_a', ecu: 'ECU_001', version, hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 } })).json
    expect((await api.post(`/api/v1/releases/${release.id}/publish`, { token })).status).toBe(200)
  }

  // A template policy with two waves, with its live "selects N vehicles" preview.
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Policies' }).click()
  await page.getByRole('button', { name: 'New policy' }).click()
  await page.getByLabel('Policy name').fill('model_a ECU_001 in two waves')
  await page.getByLabel('Release').selectOption({ label: 'model_a · ECU_001 · 9.1.0' })
  const wave1 = page.getByRole('listitem', { name: 'Wave 1' })
  await wave1.getByLabel('Size', { exact: true }).fill('10')
  await page.getByLabel('Judged after N finished').fill('5')
  await expect(page.getByRole('status').filter({ hasText: 'Selects' })).toHaveText(new RegExp(`Selects \\d+ vehicles \\(waves: 10 / \\d+\\)`))
  await page.getByRole('button', { name: 'Save policy' }).click()
  await expect(page.getByRole('list', { name: 'Policies' }).getByRole('heading', { name: 'model_a ECU_001 in two waves' })).toBeVisible()

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
  await expect(page.getByLabel(/^State: (Completed|Paused)$/)).toBeVisible({ timeout: 180_000 })
  if (await page.getByLabel('State: Paused').isVisible()) {
    // The sandbox injects a few failures; a threshold may pause the job, with the reason in words.
    await expect(page.getByRole('alert')).toContainText('Paused by its threshold: wave')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect(page.getByLabel('State: Completed')).toBeVisible({ timeout: 180_000 })
  }
  const waves = page.getByRole('region', { name: 'Progress by wave' })
  await expect(waves.getByRole('listitem')).toHaveCount(2)
  await page.getByText(/^Failure breakdown/).click()
  await expect(page.getByRole('list', { name: 'Failures by cause' }).or(page.getByText('No failures.'))).toBeVisible()
  await page.screenshot(shot('campaign-completed'))

  // Drill down: one vehicle's step log.
  await page.getByLabel('Show', { exact: true }).selectOption({ label: 'Succeeded' })
  await page.getByRole('button', { name: /^Show the step log of / }).first().click()
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
})
