import type { OtaApi } from '../src/shared/api'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { expect, test } from './sandbox-fixture'
import { showScreen } from './steps'

// The Offline bundles screen against the sandbox: register this console as a workshop, refuse a
// file that is no bundle with the check that failed, then open a real bundle of a job (made through
// the console's calls), see every check pass, and import it.
test('registers as a workshop, refuses a stray file, verifies and imports a real bundle', async ({ page, openConsole }) => {
  test.setTimeout(180_000)
  await openConsole(page)
  await showScreen(page, 'Offline bundles')
  await expect(page.getByRole('heading', { name: 'Offline bundles', level: 1 })).toBeVisible()
  await expect(page.getByText('No bundle has been imported yet.')).toBeVisible()

  await page.getByLabel('Workshop name').fill('Bay 1')
  await page.getByRole('button', { name: 'Register this console' }).click()
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: /^Workshop “Bay 1” \(ws_[0-9a-f]{16}\)\. Trusts bundles signed by key [0-9a-f]{12}… from https:\/\/127\.0\.0\.1:\d+ \(TUF root v\d+\)/ })
  ).toBeVisible()

  const chooser = page.getByLabel('Bundle file (.otab)')
  await chooser.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a bundle, just some notes') })
  await expect(page.getByRole('alert')).toHaveText('The file is not an offline bundle or results file (it does not start with OTAB).')
  await expect(page.getByRole('list', { name: 'Checks of notes.txt' }).getByRole('listitem')).toHaveText([/^✗ File layout: failed — The file is not an offline bundle/])

  // A job scheduled for later, and its bundle for this workshop, through the console's own calls.
  const bundle = await page.evaluate(
    async (hardware) => {
      const api = (globalThis as unknown as { ota: OtaApi }).ota
      const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }) => {
        if (!r.ok) throw new Error(r.error.message)
        return r.value
      }
      const image = new Uint8Array(40_000).map((_, i) => (i * 7) % 251)
      const upload = must(await api.uploads.begin({ name: 'ecu7.bin', size: image.length }))
      must(await api.uploads.chunk({ id: upload.id, offset: 0, data: btoa(String.fromCharCode(...image)) }))
      const artifact = must(await api.uploads.finish({ id: upload.id }))
      const release = must(await api.releases.create({ model: 'model_a', ecu: 'ECU_007', version: '3.0.0', hardware: [hardware], artifactSha256: artifact.sha256 }))
      must(await api.releases.publish({ id: release.id }))
      const startAt = new Date(Date.now() + 3_600_000).toISOString()
      const job = must(
        await api.jobs.create({
          name: 'Workshop ECU_007',
          releaseId: release.id,
          selection: { models: ['model_a'] },
          rollout: { waves: [{ size: { percent: 100 } }] },
          schedule: { startAt, maintenanceWindows: [] }
        })
      )
      const { workshops } = must(await api.bundles.workshops())
      const file = must(await api.bundles.export({ jobId: job.id, workshopId: workshops.find((w) => w.name === 'Bay 1')!.id, expiresInHours: 48 }))
      let data = ''
      for (let offset = 0; ;) {
        const piece = must(await api.bundles.fileRead({ fileId: file.fileId, offset }))
        data += atob(piece.data)
        offset = data.length
        if (piece.done) break
      }
      return { name: file.name, id: file.bundleId, base64: btoa(data) }
    },
    hardwareFor('model_a', 7)
  )

  await chooser.setInputFiles({ name: bundle.name, mimeType: 'application/octet-stream', buffer: Buffer.from(bundle.base64, 'base64') })
  await expect(page.getByRole('status').filter({ hasText: new RegExp(`^Verified: bundle ${bundle.id} of job "Workshop ECU_007", \\d+ vehicle\\(s\\)`) })).toBeVisible()
  const checks = page.getByRole('list', { name: `Checks of ${bundle.name}` }).getByRole('listitem')
  await expect(checks).toHaveCount(11)
  await expect(checks.filter({ hasText: ': passed — ' })).toHaveCount(11)
  await page.screenshot({ path: 'test-results/e2e/bundles-verified.png', fullPage: true })

  await page.getByRole('button', { name: 'Import bundle' }).click()
  await expect(page.getByRole('status').filter({ hasText: `Imported bundle ${bundle.id} of job “Workshop ECU_007”.` })).toBeVisible()
  const row = page.getByRole('table', { name: 'Imported bundles' }).getByRole('row', { name: /Workshop ECU_007/ })
  await expect(row).toContainText(bundle.id)
  await expect(row).toContainText('0 succeeded, 0 failed')
  await expect(row.getByRole('button', { name: `Save results file: ${bundle.id}` })).toBeDisabled()
  await page.screenshot({ path: 'test-results/e2e/bundles-imported.png', fullPage: true })
})
