import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { OtaApi } from '../src/shared/api'
import { hardwareFor } from '../src/vehicle/fleet-spec'
import { freePort } from '../test/support/free-port'
import { expect, test } from './sandbox-fixture'
import { showScreen } from './steps'

/**
 * `npm run vehicles -- --standalone` as a workshop has it on its bench: one simulated vehicle on
 * DoIP, no backend. With seed 1 it is the sandbox's first vehicle (same VIN, ECUs, hardware).
 */
async function benchVehicle(port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, '../src/vehicle/cli.ts'), '--standalone', '--doip-port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk))
  await expect.poll(() => out, { timeout: 30_000 }).toContain('Ctrl-C stops them.')
  const vin = /VIN (\w{17}): DoIP on 127\.0\.0\.1 TCP (\d+)/.exec(out)![1]!
  return { vin, stop: () => child.kill('SIGTERM') }
}

// The Workshop screen: find the bench vehicle over DoIP, see its ECUs with their versions, read
// DTCs, have a flash for an ECU the bundle has no release for refused with the reason, then
// flash ECU_003 from an imported offline bundle and watch every step to the version read back.
test('connects over DoIP, lists the ECUs with versions, reads DTCs, refuses a flash for another ECU and flashes from a bundle', async ({ page, openConsole }) => {
  test.setTimeout(180_000)
  const port = await freePort()
  const bench = await benchVehicle(port)
  try {
    await openConsole(page)
    const version = `2.5.${Date.now() % 1000}`
    // A bundle of a job for this vehicle's ECU_003, made and imported through the console's own calls.
    const bundleId = await page.evaluate(
      async ({ vin, hardware, version }) => {
        const api = (globalThis as unknown as { ota: OtaApi }).ota
        const must = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }) => {
          if (!r.ok) throw new Error(r.error.message)
          return r.value
        }
        let workshop = must(await api.bundles.workshop()).workshop
        workshop ??= must(await api.bundles.registerWorkshop({ name: 'Bench' })).workshop!
        const image = new Uint8Array(200_000).map((_, i) => (i * 13) % 251)
        let binary = ''
        for (let i = 0; i < image.length; i += 8192) binary += String.fromCharCode(...image.subarray(i, i + 8192))
        const upload = must(await api.uploads.begin({ name: 'ecu3.bin', size: image.length }))
        must(await api.uploads.chunk({ id: upload.id, offset: 0, data: btoa(binary) }))
        const artifact = must(await api.uploads.finish({ id: upload.id }))
        const release = must(await api.releases.create({ model: 'model_a', ecu: 'ECU_003', version, hardware: [hardware], artifactSha256: artifact.sha256 }))
        must(await api.releases.publish({ id: release.id }))
        const startAt = new Date(Date.now() + 3_600_000).toISOString()
        const job = must(
          await api.jobs.create({
            name: `Bench ECU_003 ${version}`,
            releaseId: release.id,
            selection: { vins: [vin] },
            rollout: { waves: [{ size: { percent: 100 } }] },
            schedule: { startAt, maintenanceWindows: [] }
          })
        )
        const file = must(await api.bundles.export({ jobId: job.id, workshopId: workshop.id, expiresInHours: 24 }))
        return must(await api.bundles.import({ fileId: file.fileId })).id
      },
      { vin: bench.vin, hardware: hardwareFor('model_a', 3), version }
    )

    await showScreen(page, 'Workshop')
    await expect(page.getByRole('heading', { name: 'Workshop', level: 1 })).toBeVisible()
    const find = page.getByRole('form', { name: 'Find vehicles' })
    await find.getByLabel('Broadcast or vehicle address').fill('127.0.0.1')
    await find.getByLabel('Port').fill(String(port))
    await find.getByRole('button', { name: 'Find vehicles' }).click()
    const found = page.getByRole('table', { name: 'Vehicles found' })
    await expect(found.getByRole('row')).toHaveCount(2)
    await expect(found.getByRole('row').nth(1)).toContainText(`${bench.vin}0x0E00`)
    await found.getByRole('button', { name: `Connect to ${bench.vin}` }).click()

    await expect(page.getByRole('heading', { name: `Vehicle ${bench.vin}` })).toBeVisible()
    await expect(page.getByRole('status').filter({ hasText: 'Connected over DoIP' })).toHaveText(`Connected over DoIP to 127.0.0.1:${port}, gateway 0x0E00.`)
    const ecus = page.getByRole('table', { name: `ECUs of ${bench.vin}` })
    await expect(ecus.getByRole('row')).toHaveCount(12)
    await expect(page.getByText('ECUs as the imported bundle records this vehicle')).toBeVisible()
    await expect(ecus.getByRole('row', { name: /^GATEWAY/ })).toContainText('GATEWAY0x0E00Central gatewaymodel_a-gw-hw11.0.0')
    const ecu3 = ecus.getByRole('row', { name: /^ECU_003/ })
    await expect(ecu3).toContainText(`ECU_0030x1003ECU_003 behind ZGW_01${hardwareFor('model_a', 3)}1.0.0`)

    // DTCs of ECU_001, decoded with their status bits.
    await ecus.getByRole('button', { name: 'Read DTCs of ECU_001' }).click()
    const answer = page.getByRole('list', { name: 'Answers, newest first' }).getByRole('listitem').first()
    await expect(answer).toContainText('ECU_001 (0x1001) ← 19 02 FF')
    const dtcs = answer.getByRole('table', { name: 'DTCs' })
    await expect(dtcs.getByRole('row').nth(1)).toContainText(/^[PCBU][0-9A-F]{4}-[0-9A-F]{2}[0-9A-F]{2}/)
    await expect(dtcs.getByRole('list').first().getByRole('listitem').first()).toBeVisible()

    // ECU_002: the bundle has no release for it, and the console refuses with the reason.
    const flash = page.getByRole('region', { name: 'Flash an ECU' })
    await ecus.getByRole('button', { name: 'Flash ECU_002' }).click()
    await expect(flash.getByLabel('ECU to flash')).toHaveValue(String(0x1002))
    // Another spec of this worker may have imported a bundle for this vehicle too.
    await flash.getByLabel('From bundle').selectOption(bundleId)
    await expect(flash.getByText(`Bundle ${bundleId} has no release for ECU_002: the console will refuse to flash it.`)).toBeVisible()
    await expect(flash.getByText(/A running flash can be aborted: .* can be flashed again from the start\./)).toBeVisible()
    await flash.getByRole('button', { name: 'Flash…', exact: true }).click()
    await page.getByRole('alertdialog').getByRole('button', { name: 'Flash', exact: true }).click()
    await expect(flash.getByRole('alert')).toHaveText(
      `The console refused this flash: The bundle has no firmware for 0x1002 of ${bench.vin} in bundle ${bundleId}; it has firmware for ECU_003 (0x1003).`
    )
    await expect(ecus.getByRole('row', { name: /^ECU_002/ })).toContainText('1.0.0')

    // ECU_003 from the bundle: every step, the progress, and the version read back.
    await ecus.getByRole('button', { name: 'Flash ECU_003' }).click()
    await expect(flash.getByLabel('From bundle')).toHaveValue(bundleId)
    await expect(flash.getByText(new RegExp(`^Release ${version.replaceAll('.', '\\.')} for ECU_003 of model_a: image 200 kB`))).toBeVisible()
    await flash.getByRole('button', { name: 'Flash…', exact: true }).click()
    await expect(page.getByRole('alertdialog')).toContainText(`Flash ECU_003 of ${bench.vin} with ${version} from bundle ${bundleId}?`)
    await page.getByRole('alertdialog').getByRole('button', { name: 'Flash', exact: true }).click()
    await expect(flash.getByRole('status').filter({ hasText: 'flashed' })).toHaveText(
      new RegExp(`^ECU_003 flashed in [\\d.]+ s: 1\\.0\\.0 → ${version.replaceAll('.', '\\.')}, read back from the ECU\\.$`),
      { timeout: 30_000 }
    )
    const steps = flash.getByRole('list', { name: 'Flash steps' }).getByRole('listitem')
    await expect(steps).toHaveCount(11)
    await expect(steps.filter({ hasText: '— done' })).toHaveCount(11)
    await expect(steps.last()).toContainText('Read back the version')
    await expect(flash.getByRole('progressbar', { name: 'Flash progress' })).toHaveAttribute('value', '100')
    await expect(flash.getByRole('status').filter({ hasText: '100% · 200 kB of 200 kB' })).toBeVisible()
    await expect(ecu3).toContainText(`${hardwareFor('model_a', 3)}${version}`)
    await page.screenshot({ path: 'test-results/e2e/workshop.png', fullPage: true })

    // The flash is recorded in the bundle's results, ready for the results file.
    const results = await page.evaluate(async (id) => {
      const r = await (globalThis as unknown as { ota: OtaApi }).ota.bundles.get({ bundleId: id })
      return r.ok ? r.value.results.map((x) => [x.vin, x.ecu, x.outcome, x.versionBefore, x.versionAfter]) : r.error.message
    }, bundleId)
    expect(results).toEqual([[bench.vin, 'ECU_003', 'succeeded', '1.0.0', version]])
  } finally {
    bench.stop()
  }
})

// A new user with the sandbox running: its panel says where its DoIP vehicle is, and the Workshop
// has that address filled in, so Connect reaches the vehicle with nothing typed.
test('connects to the sandbox’s DoIP vehicle from the address the Workshop fills in', async ({ page, openConsole }) => {
  await openConsole(page)
  await showScreen(page, 'Connections')
  await page
    .getByRole('list', { name: 'Connection profiles' })
    .getByRole('button', { name: /Local sandbox/ })
    .click()
  const where = page.getByRole('region', { name: 'Local sandbox' }).getByRole('definition').filter({ hasText: 'connect to it from Workshop' })
  await expect(where).toHaveText(/^\w{17} at 127\.0\.0\.1 port \d+: connect to it from Workshop$/)
  const [, vin, port] = /^(\w{17}) at 127\.0\.0\.1 port (\d+)/.exec((await where.textContent())!)!

  await showScreen(page, 'Workshop')
  await expect(page.getByText(`The Local sandbox’s first vehicle, ${vin}, answers DoIP at 127.0.0.1 port ${port}; its address is filled in below.`)).toBeVisible()
  const byAddress = page.getByRole('form', { name: 'Connect by address' })
  await expect(byAddress.getByLabel('Vehicle address (IP or host name)')).toHaveValue('127.0.0.1')
  await expect(byAddress.getByLabel('Port')).toHaveValue(port!)
  await byAddress.getByRole('button', { name: 'Connect' }).click()

  await expect(page.getByRole('heading', { name: `Vehicle ${vin}` })).toBeVisible()
  await expect(page.getByRole('status').filter({ hasText: 'Connected over DoIP' })).toHaveText(`Connected over DoIP to 127.0.0.1:${port}, gateway 0x0E00.`)
  await expect(page.getByRole('table', { name: `ECUs of ${vin}` }).getByRole('row', { name: /^GATEWAY/ })).toContainText('GATEWAY0x0E00Central gateway')
  await page.getByRole('button', { name: 'Disconnect' }).click()
  await expect(page.getByRole('heading', { name: `Vehicle ${vin}` })).toBeHidden()
})
