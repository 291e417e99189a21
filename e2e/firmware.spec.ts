import type { Page } from '@playwright/test'
import { expect, test } from './sandbox-fixture'
import { dropFile, handSigningBackToBackend } from './steps'

/** The browser globals the page-side code below uses (this file compiles without the DOM library). */
interface InPage {
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void }
  document: { body: unknown; querySelector(selector: string): { getAttribute(name: string): string | null } | null }
  progressSeen: { now: number; text: string }[]
}

/** Every value the upload's progress bar shows, recorded as the page changes it. */
async function recordProgress(page: Page) {
  await page.evaluate(() => {
    const w = globalThis as unknown as InPage
    w.progressSeen = []
    new w.MutationObserver(() => {
      const bar = w.document.querySelector('[role="progressbar"]')
      if (bar) w.progressSeen.push({ now: Number(bar.getAttribute('aria-valuenow')), text: bar.getAttribute('aria-valuetext') ?? '' })
    }).observe(w.document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  })
  return () => page.evaluate(() => (globalThis as unknown as InPage).progressSeen)
}

// A German browser: the console must still write English (Settings: system → not Japanese → English), or Japanese once chosen.
test.use({ locale: 'de-DE' })

test('upload firmware, create the release, sign with the console’s key, publish with a confirmation naming the effect', async ({ page, openConsole, sandbox }) => {
  test.setTimeout(180_000)
  await openConsole(page)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Firmware' }).click()
  await expect(page.getByRole('heading', { name: 'Firmware', level: 1 })).toBeVisible()
  const uploadPanel = page.getByRole('region', { name: 'New release' })

  // A large upload canceled half-way leaves nothing behind and says so.
  await dropFile(page, 'too-big.bin', 96 * 1024 * 1024)
  await expect(uploadPanel.getByRole('progressbar', { name: 'Upload progress' })).toBeVisible()
  await uploadPanel.getByRole('button', { name: 'Cancel upload' }).click()
  await expect(uploadPanel.getByRole('status')).toHaveText('The upload of too-big.bin was canceled; the backend kept nothing of it.')

  // Dropped, streamed in chunks with progress and speed, checked against what was sent.
  const progress = await recordProgress(page)
  await dropFile(page, 'ecu003-2.1.0.bin', 6 * 1024 * 1024 + 4321)
  await expect(uploadPanel.getByRole('status')).toContainText('Uploaded ecu003-2.1.0.bin: 6.30 MB, sha256', { timeout: 60_000 })
  const seen = await progress()
  expect(seen.map((s) => s.now)).toEqual([...seen.map((s) => s.now)].sort((a, b) => a - b))
  expect(seen.at(-1)?.now).toBe(100)
  expect(seen.some((s) => s.now > 0 && s.now < 100)).toBe(true)
  expect(seen.some((s) => /\d[\d.,]* [kMG]?B\/s$/.test(s.text))).toBe(true)

  // The release's details, each field checked with its own message.
  const form = page.getByRole('form', { name: 'Release details' })
  await form.getByLabel('Model').fill('model_a')
  await form.getByLabel('ECU').fill('ECU_003')
  await form.getByLabel('Version').fill('2.1')
  await form.getByRole('button', { name: 'Create release' }).click()
  await expect(form.getByLabel('Version')).toHaveAccessibleDescription(/Not a semantic version: use x.y.z/)
  await expect(form.getByLabel('Hardware revisions')).toHaveAccessibleDescription(/Name at least one hardware revision/)
  await form.getByLabel('Version').fill('2.1.0')
  await form.getByLabel('Hardware revisions').fill('model_a-ecu003-hw1')
  await form.getByLabel('Release notes').fill('Fixes CAN wake-up after deep sleep')
  await form.getByRole('button', { name: 'Create release' }).click()
  const releases = page.getByRole('region', { name: 'Releases' })
  await expect(releases.getByRole('status')).toHaveText('Release model_a ECU_003 2.1.0 created. Vehicles are not offered it until you publish it.')
  const row = releases
    .getByRole('region', { name: 'model_a' })
    .getByRole('table', { name: 'ECU_003' })
    .getByRole('row', { name: /^2\.1\.0/ })
  await expect(row).toContainText('Not published')

  // Dates follow the language chosen in Settings, never the browser's locale (this browser runs in German).
  const created = () =>
    page
      .getByRole('region', { name: 'model_a' })
      .getByRole('table', { name: 'ECU_003' })
      .getByRole('row', { name: /^2\.1\.0/ })
      .locator('time')
  expect(await page.evaluate(() => (globalThis as unknown as { navigator: { language: string } }).navigator.language)).toBe('de-DE')
  await expect(created()).toHaveText(/^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d\d:\d\d\s[AP]M$/)
  const nav = page.getByRole('navigation')
  await nav.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  try {
    await nav.getByRole('button', { name: 'ファームウェア' }).click()
    await expect(created()).toHaveText(/^\d{4}\/\d\d\/\d\d \d{1,2}:\d\d:\d\d$/)
  } finally {
    await nav.getByRole('button', { name: '設定' }).click()
    await page.getByLabel('言語').selectOption('system')
    await nav.getByRole('button', { name: 'Firmware' }).click()
  }

  // Sign: the admin registers this console's keychain key as the one root trusts for targets.
  const signing = page.getByRole('region', { name: 'Release signing' })
  await expect(signing).toContainText('so a compromised server cannot forge firmware')
  await signing.getByRole('button', { name: 'Register this console’s release key' }).click()
  await expect(signing.getByRole('status')).toContainText('Signed here with release key')

  try {
    // Publish, after a confirmation that names who will be offered what.
    await row.getByRole('button', { name: 'Publish' }).click()
    const dialog = page.getByRole('alertdialog')
    await expect(dialog).toContainText('model_a vehicles will be offered 2.1.0 for ECU_003. The new targets list is signed with this console’s release key.')
    await dialog.getByRole('button', { name: 'Publish' }).click()
    await expect(releases.getByRole('status')).toHaveText('model_a vehicles are now offered 2.1.0. Signed with this console’s release key.')
    await expect(row).toContainText('Published')
    await expect(row).not.toContainText('Awaiting signature')
    await page.screenshot({ path: 'test-results/e2e/firmware.png', fullPage: true })

    await row.getByRole('button', { name: 'Withdraw' }).click()
    await expect(page.getByRole('alertdialog')).toContainText('model_a vehicles will no longer be offered 2.1.0 for ECU_003.')
    await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click()
    await expect(row).toContainText('Published')
  } finally {
    await handSigningBackToBackend(page, sandbox.mintAdminToken())
  }
})

test('sign with a key on a smart card: a wrong PIN named, the key made on the card, registered, no backup offered; in Japanese too', async ({ page, openConsole, sandbox }) => {
  test.setTimeout(120_000)
  const card = sandbox.releaseCard
  await openConsole(page)
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name: 'Firmware' }).click()
  const signing = page.getByRole('region', { name: 'Release signing' })
  await signing.getByText('Release key and backup').click()
  await expect(signing.getByRole('definition').filter({ hasText: 'This computer’s OS keychain' })).toBeVisible()
  const form = signing.getByRole('form', { name: 'Sign with a smart card or other PKCS#11 token' })
  const use = form.getByRole('button', { name: 'Use this token' })
  await expect(use).toBeDisabled()

  // Typed from the keyboard, field after field.
  await form.getByLabel('PKCS#11 module (library file)').fill(card.module)
  await page.keyboard.press('Tab')
  await expect(form.getByLabel('Token label')).toBeFocused()
  await page.keyboard.type(card.token)
  await page.keyboard.press('Tab')
  await expect(form.getByLabel('Key label')).toHaveValue('ota-release-key')
  await page.keyboard.press('Tab')
  await expect(form.getByLabel('User PIN')).toBeFocused()
  await page.keyboard.type('000000')
  await page.keyboard.press('Enter')
  await expect(signing.getByRole('alert')).toContainText(`The release key's token cannot be used: token "${card.token}" refused the PIN: CKR_PIN_INCORRECT`)

  await form.getByLabel('User PIN').fill(card.pin)
  await use.click()
  await expect(signing.getByRole('status').filter({ hasText: `on token “${card.token}”` })).toContainText('An admin registers it before vehicles trust it.')
  await expect(signing.getByRole('definition').filter({ hasText: `Key “ota-release-key” on PKCS#11 token “${card.token}”` })).toBeVisible()
  await expect(signing.getByRole('form', { name: 'Encrypted backup' })).toHaveCount(0)
  await expect(signing).toContainText('A key on a token cannot be backed up to a file')
  await signing.screenshot({ path: 'test-results/e2e/release-card.png' })

  try {
    await signing.getByRole('button', { name: 'Register this console’s release key' }).click()
    await expect(signing.getByRole('status').first()).toContainText('Signed here with release key')
    const keyid = (await signing
      .getByRole('definition')
      .filter({ hasText: /^[0-9a-f]{64}$/ })
      .first()
      .textContent())!
    await expect(signing.getByRole('status').first()).toContainText(keyid.slice(0, 12))

    const nav = page.getByRole('navigation')
    await nav.getByRole('button', { name: 'Settings' }).click()
    await page.getByLabel('Language').selectOption('ja')
    try {
      await nav.getByRole('button', { name: 'ファームウェア' }).click()
      const ja = page.getByRole('region', { name: 'リリース署名' })
      await ja.getByText('リリース鍵とバックアップ').click()
      await expect(ja.getByRole('definition').filter({ hasText: `PKCS#11 トークン「${card.token}」の鍵「ota-release-key」` })).toBeVisible()
      await expect(ja.getByRole('button', { name: 'このコンピューターのキーチェーンの鍵で再び署名する' })).toBeVisible()
    } finally {
      await nav.getByRole('button', { name: '設定' }).click()
      await page.getByLabel('言語').selectOption('system')
      await nav.getByRole('button', { name: 'Firmware' }).click()
    }
    await signing.getByText('Release key and backup').click()
    await signing.getByRole('button', { name: 'Sign with this computer’s keychain key again' }).click()
    await expect(signing.getByRole('definition').filter({ hasText: 'This computer’s OS keychain' })).toBeVisible()
    await expect(signing.getByRole('form', { name: 'Encrypted backup' })).toBeVisible()
  } finally {
    await handSigningBackToBackend(page, sandbox.mintAdminToken())
  }
})
