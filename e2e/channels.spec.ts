import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { verifyEd25519 } from '../src/backend/tuf/keys'
import { canonicalJson } from '../src/shared/tuf/canonical-json'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { apiClient } from '../test/support/https-client'
import { expect, test } from './sandbox-fixture'
import { activeProfile, showScreen } from './steps'

// Release channels as a release manager and an operator use them: a release that starts on
// beta shows its channel and is promoted to stable; a vehicle's page moves it onto beta and back.
test('a beta release promoted to stable; a vehicle moved onto beta and back, its signed update record exported; in Japanese too', async ({ page, openConsole, sandbox }) => {
  test.setTimeout(120_000)
  await openConsole(page)
  const colleague = sandbox.mintAdminToken()
  const profile = await activeProfile(page)
  const api = apiClient(profile.backendUrl, profile.caCertPem!)
  const { sha256 } = (await api.post('/api/v1/artifacts', { token: colleague, body: randomBytes(10_000) })).json
  const version = `6.${Date.now() % 1000}.0`
  const release = (
    await api.post('/api/v1/releases', {
      token: colleague,
      json: { model: 'model_b', ecu: 'ECU_003', version, hardware: [hardwareFor('model_b', 3)], artifactSha256: sha256, channels: ['beta'] }
    })
  ).json
  await api.post(`/api/v1/releases/${release.id}/publish`, { token: colleague })

  await showScreen(page, 'Firmware')
  const row = page
    .getByRole('region', { name: 'Releases' })
    .getByRole('region', { name: 'model_b' })
    .getByRole('table', { name: 'ECU_003' })
    .getByRole('row', { name: new RegExp(`^${version.replace(/\./g, '\\.')}`) })
  await expect(row.getByLabel('Channels: beta')).toBeVisible()
  await row.getByRole('button', { name: 'Promote to stable' }).click()
  await expect(page.getByRole('alertdialog')).toContainText(`Every model_b vehicle will be offered ${version} for ECU_003, not only those on its channels.`)
  await page.getByRole('alertdialog').getByRole('button', { name: 'Promote to stable' }).click()
  await expect(page.getByRole('region', { name: 'Releases' }).getByRole('status')).toHaveText(`model_b ${version} is on stable now: every model_b vehicle is offered it.`)
  await expect(row.getByLabel('Channels: beta, stable')).toBeVisible()
  await expect(row.getByRole('button', { name: 'Promote to stable' })).toHaveCount(0)

  // A vehicle onto beta, from its page, and back to stable.
  const vin = (await api.get('/api/v1/vehicles?model=model_b&limit=1', { token: colleague })).json.vehicles[0].vin as string
  await showScreen(page, 'Fleet')
  await page.getByLabel('VIN starts with').fill(vin)
  await page.getByRole('grid').getByRole('row').filter({ hasText: vin }).first().click()
  const channel = page.getByRole('form', { name: 'Release channel' })
  await expect(channel).toContainText('On channel stable.')
  await channel.getByLabel('Release channel').fill('beta')
  await page.keyboard.press('Enter')
  await expect(channel).toContainText('On channel beta.')
  expect((await api.get(`/api/v1/vehicles/${vin}`, { token: colleague })).json.channel).toBe('beta')

  const nav = page.getByRole('navigation')
  await nav.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  try {
    await nav.getByRole('button', { name: 'フリート' }).click()
    await expect(page.getByRole('form', { name: 'リリースチャネル' })).toContainText('チャネル beta に属しています。')
  } finally {
    await nav.getByRole('button', { name: '設定' }).click()
    await page.getByLabel('言語').selectOption('system')
    await showScreen(page, 'Fleet')
  }
  // Its update record, signed, as a file for an auditor.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export signed update record' }).click()])
  expect(download.suggestedFilename()).toBe(`update-evidence-${vin}.json`)
  const evidence = JSON.parse(readFileSync(await download.path(), 'utf8'))
  expect(evidence.signed).toMatchObject({ _type: 'ota-update-evidence', vin, generatedBy: 'admin' })
  const key = (await api.get('/api/v1/evidence-key')).json
  expect(verifyEd25519(key.key, Buffer.from(canonicalJson(evidence.signed)), evidence.signatures[0].sig)).toBe(true)
  await expect(page.getByRole('status').filter({ hasText: 'saved, signed with key' })).toBeVisible()

  await channel.getByLabel('Release channel').fill('stable')
  await channel.getByRole('button', { name: 'Move to this channel' }).click()
  await expect(channel).toContainText('On channel stable.')
})
