import { randomBytes } from 'node:crypto'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { startFleet } from '../src/vehicle/fleet'
import { apiClient } from '../test/support/https-client'
import { expect, test } from './sandbox-fixture'
import { activeProfile, showScreen } from './steps'

// A release set as a release manager and an operator use it, on vehicles of a model of its own
// (six ECUs behind two zonal gateways), so the shared sandbox's fleet does not get in the way:
// the set is made in the form, a vehicle whose ECU_004 is too old shows its blocker, the two it
// fits get it, the one whose ECU_003 fails rolls back and says so, and a vehicle's configuration
// history shows the change. Then in Japanese.
test('a release set: made in the form, a blocker named, installed on one vehicle and rolled back on another; the configuration history shows the change; in Japanese too', async ({
  page,
  openConsole,
  sandbox
}) => {
  test.setTimeout(180_000)
  await openConsole(page)
  const colleague = sandbox.mintAdminToken()
  const profile = await activeProfile(page)
  const api = apiClient(profile.backendUrl, profile.caCertPem!)
  const model = `sets_${Date.now() % 100_000}`
  const fleetOf = (seed: number, ecuFaults = {}) =>
    startFleet({
      backendUrl: profile.backendUrl,
      mqttUrl: profile.mqttUrl!,
      ca: profile.caCertPem!,
      token: colleague,
      count: seed === 1 ? 2 : 1,
      models: [model],
      ecus: 6,
      failureRate: 0,
      offlineRate: 0,
      seed: 9000 + seed + (Date.now() % 1000) * 10,
      pq: false,
      pollMs: 0,
      ecuFaults,
      log: () => {}
    })
  const fits = await fleetOf(1)
  const faulty = await fleetOf(2, { ECU_003: 'install-error' })
  try {
    const [good, old] = fits.vehicles
    const [bad] = faulty.vehicles
    const release = async (ecu: string, channels: string[]) => {
      const { sha256 } = (await api.post('/api/v1/artifacts', { token: colleague, body: randomBytes(12_000) })).json
      const made = (
        await api.post('/api/v1/releases', {
          token: colleague,
          json: { model, ecu, version: '2.0.0', hardware: [hardwareFor(model, Number(ecu.slice(4)))], artifactSha256: sha256, channels }
        })
      ).json
      expect((await api.post(`/api/v1/releases/${made.id}/publish`, { token: colleague })).status).toBe(200)
    }
    // ECU_004 2.0.0 reaches two of the three vehicles (through beta); the third keeps 1.0.0.
    await release('ECU_004', ['beta'])
    for (const v of [good!, bad!]) {
      await api.put(`/api/v1/vehicles/${v.spec.vin}/channel`, { token: colleague, json: { channel: 'beta' } })
      await v.checkForUpdates()
      expect(v.versions().ECU_004).toBe('2.0.0')
    }
    for (const ecu of ['ECU_001', 'ECU_002', 'ECU_003']) await release(ecu, ['sets'])

    await showScreen(page, 'Firmware')
    const sets = page.getByRole('region', { name: 'Release sets (several ECUs together)' })
    const form = sets.getByRole('form', { name: 'New release set' })
    await form.getByRole('button', { name: 'Make the release set' }).click()
    await expect(form.getByRole('alert')).toHaveText('Choose the model the set is for.')
    await form.getByLabel('Model').selectOption(model)
    await form.getByLabel('Name').fill('brakes')
    await form.getByLabel('Version').fill('2.0.0')
    await form.getByLabel('Image for ECU_001').selectOption({ label: '2.0.0' })
    await form.getByLabel('ECU_001 installs after').fill('ECU_002')
    await form.getByLabel('Image for ECU_002').selectOption({ label: '2.0.0' })
    await form.getByLabel('Image for ECU_003').selectOption({ label: '2.0.0' })
    await form.getByLabel('ECU_003 installs after').fill('ECU_001')
    await form.getByLabel('Requirements').fill('ECU_004 newest')
    await form.getByRole('button', { name: 'Make the release set' }).click()
    await expect(form.getByRole('alert')).toContainText('“ECU_004 newest” is not a requirement')
    await form.getByLabel('Requirements').fill('ECU_004 >=2.0.0')
    await form.getByRole('button', { name: 'Make the release set' }).click()
    await expect(form.getByRole('status')).toHaveText('Release set brakes 2.0.0 made.')

    const row = sets.getByRole('table', { name: 'Release sets (several ECUs together)' }).getByRole('row').filter({ hasText: model })
    await expect(row).toContainText('ECU_001 2.0.0 after ECU_002')
    await row.getByRole('button', { name: 'Check vehicles against brakes 2.0.0' }).focus()
    await page.keyboard.press('Enter')
    const verdicts = sets.getByRole('table', { name: 'Vehicles against the set' })
    await expect(sets.getByText('The set fits 2 of 3 vehicles.')).toBeVisible()
    await expect(verdicts.getByRole('list', { name: `What blocks ${old!.spec.vin}` })).toHaveText('ECU_004 runs 1.0.0; the set needs >=2.0.0.')
    await expect(verdicts.getByRole('row', { name: new RegExp(good!.spec.vin) })).toContainText('ZGW_01: ECU_001 1.0.0→2.0.0, ECU_003 1.0.0→2.0.0 | ZGW_02: ECU_002 1.0.0→2.0.0')
    await expect(verdicts.getByLabel(`Choose ${old!.spec.vin}`)).toBeDisabled()
    await sets.getByRole('button', { name: 'Choose every vehicle it fits' }).click()
    await sets.getByRole('button', { name: 'Send the set to 2 vehicles' }).click()

    const deployments = sets.getByRole('table', { name: 'Deployments' })
    await expect(deployments.getByRole('row', { name: new RegExp(good!.spec.vin) })).toContainText('Installed', { timeout: 30_000 })
    const rolledBack = deployments.getByRole('row', { name: new RegExp(bad!.spec.vin) })
    await expect(rolledBack).toContainText('Rolled back', { timeout: 30_000 })
    await expect(rolledBack).toContainText('ECU_003 failed (Install error): ECU_003 rejected the image while flashing')
    await expect(rolledBack).toContainText('ECU_001 (ZGW_01) 1.0.0→2.0.0: rolled back')
    await expect(rolledBack).toContainText('ECU_002 (ZGW_02) 1.0.0→2.0.0: rolled back')
    expect(bad!.versions()).toMatchObject({ ECU_001: '1.0.0', ECU_002: '1.0.0', ECU_003: '1.0.0' })

    // The vehicle that took the set: its configuration history shows what changed.
    await showScreen(page, 'Fleet')
    // The vehicles were registered after the console copied the fleet: copy it again.
    await page.getByRole('button', { name: 'Sync now' }).click()
    await page.getByLabel('VIN starts with').fill(good!.spec.vin)
    await page.getByRole('grid').getByRole('row').filter({ hasText: good!.spec.vin }).first().click()
    const vci = page.getByRole('region', { name: 'Configuration history (VCI)' })
    await expect(vci).toContainText('3 snapshots kept.')
    const diff = vci.getByRole('table', { name: 'Configuration differences' })
    await expect(diff.getByRole('row', { name: /ECU_001/ })).toContainText('Software1.0.02.0.0')
    await expect(diff.getByRole('row')).toHaveCount(4)
    // From the first snapshot: ECU_004 changed too.
    const first = vci.getByLabel('Compare from')
    await first.selectOption({ index: 2 })
    await expect(diff.getByRole('row')).toHaveCount(5)
    await expect(diff).toContainText('ECU_004')

    const nav = page.getByRole('navigation')
    await nav.getByRole('button', { name: 'Settings' }).click()
    await page.getByLabel('Language').selectOption('ja')
    try {
      await nav.getByRole('button', { name: 'フリート' }).click()
      await expect(page.getByRole('region', { name: '構成履歴(VCI)' }).getByRole('table', { name: '構成の違い' })).toContainText('ソフトウェア')
      await nav.getByRole('button', { name: 'ファームウェア' }).click()
      const ja = page.getByRole('region', { name: 'リリースセット(複数ECUの一括更新)' })
      await ja.getByRole('row').filter({ hasText: model }).getByRole('button', { name: '車両を確認' }).click()
      await expect(ja.getByRole('list', { name: `${old!.spec.vin} の阻害要因` })).toHaveText('ECU_004 は 1.0.0 で動作しています。セットには >=2.0.0 が必要です。')
      await expect(ja.getByRole('table', { name: '配信' }).getByRole('row', { name: new RegExp(bad!.spec.vin) })).toContainText('ロールバック済み')
    } finally {
      await nav.getByRole('button', { name: '設定' }).click()
      await page.getByLabel('言語').selectOption('system')
    }
  } finally {
    await fits.stop()
    await faulty.stop()
  }
})
