import { join } from 'node:path'
import Database from 'better-sqlite3'
import { keychainPeer } from '../test/support/keychain-peer'
import { DATABASE_FILE } from '../src/core/store/database'
import { filesContaining } from '../test/support/profiles'
import { startHttps } from '../test/support/https-server'
import { startMosquitto } from '../test/support/mosquitto'
import { makePki } from '../test/support/pki'
import { startHostProcess } from '../test/support/host-process'
import { tempDir } from '../test/support/temp-dir'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'

/** Fills the new-profile form as a user would, field by labelled field. */
async function fillNewProfile(page: Page, fields: Record<string, string>) {
  await page.getByRole('button', { name: 'New profile' }).click()
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value)
}

test('a new profile with a password survives a reload; the password is only in the keychain', async ({ page, host }) => {
  const password = `e2e-${Date.now()}-Ω`
  await page.goto(host.url)
  await expect(page.getByText('No connection profiles yet', { exact: false }).first()).toBeVisible()

  await fillNewProfile(page, {
    Name: 'Plant A fleet',
    'Backend URL': 'https://fleet.example.test',
    'MQTT URL': 'mqtts://broker.example.test:8883',
    Username: 'release-mgr',
    Password: password
  })
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('form').getByRole('status')).toHaveText('Saved')
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('')

  await page.reload()
  const entry = page.getByRole('list', { name: 'Connection profiles' }).getByRole('button', { name: /Plant A fleet/ })
  await expect(entry).toBeVisible()
  await expect(entry).toContainText('active')
  await expect(page.getByLabel('Backend URL')).toHaveValue('https://fleet.example.test')
  await expect(page.getByText('Saved in the OS keychain. Type to replace it.')).toBeVisible()

  const stored = keychainPeer.entries().filter((c) => c.password === password)
  expect(stored).toHaveLength(1)
  expect(stored[0]!.account).toMatch(/^profile\/[\w-]+\/password$/)
  expect(filesContaining(host.dataDir, password)).toEqual([])
  expect(host.output()).not.toContain(password)
  expect(await page.content()).not.toContain(password)
})

test('Test connection passes against a real Mosquitto and reports a wrong password as auth rejected', async ({ page, host }) => {
  const dir = tempDir('ota-e2e-pki')
  const pki = makePki(dir.dir)
  const broker = await startMosquitto(dir.dir, pki, { operator: 'right-password' })
  const https = await startHttps(pki)
  try {
    await page.goto(host.url)
    await fillNewProfile(page, {
      Name: 'Local broker',
      'Backend URL': https.url,
      'MQTT URL': broker.url,
      Username: 'operator',
      Password: 'right-password',
      'CA certificate (PEM)': pki.caCertPem
    })
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('form').getByRole('status')).toHaveText('Saved')

    await page.getByRole('button', { name: 'Test connection' }).click()
    const results = page.getByRole('region', { name: 'Connection test' })
    await expect(results.getByRole('listitem').filter({ hasText: 'HTTPS' })).toContainText('pass')
    await expect(results.getByRole('listitem').filter({ hasText: 'MQTT' })).toContainText('pass')
    // Debian's Mosquitto links OpenSSL 3.0, which has no ML-KEM: the console says so.
    await expect(results.getByRole('listitem').filter({ hasText: 'MQTT' })).toContainText('key exchange X25519')
    await expect(results.getByRole('listitem').filter({ hasText: 'MQTT' })).toContainText('classical key exchange')

    // A profile that requires quantum-safe exchange refuses that broker, and says what it speaks.
    await page.getByLabel('TLS minimum').selectOption({ label: 'Require quantum-safe key exchange (ML-KEM)' })
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('form').getByRole('status')).toHaveText('Saved')
    await page.getByRole('button', { name: 'Test connection' }).click()
    const mqttRow = results.getByRole('listitem').filter({ hasText: 'MQTT' })
    await expect(mqttRow).toContainText('fail: TLS weaker than this profile accepts')
    await expect(mqttRow).toContainText('the server negotiates X25519 (classical key exchange)')
    await expect(results.getByRole('listitem').filter({ hasText: 'HTTPS' })).toContainText('pass')
    await page.getByLabel('TLS minimum').selectOption({ label: 'Any key exchange (classical allowed)' })

    await page.getByLabel('Password', { exact: true }).fill('wrong-password')
    await page.getByRole('button', { name: 'Save' }).click()
    await expect(page.getByRole('form').getByRole('status')).toHaveText('Saved')
    await page.getByRole('button', { name: 'Test connection' }).click()
    await expect(results.getByRole('listitem').filter({ hasText: 'MQTT' })).toContainText('fail: auth rejected')
  } finally {
    await broker.stop()
    await https.close()
    dir.remove()
  }
})

test('duplicate and delete from the editor, with a confirmation', async ({ page, host }) => {
  await page.goto(host.url)
  await fillNewProfile(page, { Name: 'Workshop', 'Backend URL': 'https://workshop.example.test', 'MQTT URL': 'wss://workshop.example.test/mqtt' })
  await page.getByRole('button', { name: 'Save' }).click()
  await page.getByRole('button', { name: 'Duplicate' }).click()
  const list = page.getByRole('list', { name: 'Connection profiles' })
  await expect(list.getByRole('button', { name: /Workshop \(copy\)/ })).toBeVisible()

  await page.getByRole('button', { name: 'Delete' }).click()
  await page.getByRole('alertdialog').getByRole('button', { name: 'Delete profile' }).click()
  await expect(list.getByRole('button', { name: /Workshop \(copy\)/ })).toHaveCount(0)
  await expect(list.getByRole('button', { name: /^Workshop/ })).toHaveCount(1)
})

test('a bad URL gets a clear error and the form keeps what was typed', async ({ page, host }) => {
  await page.goto(host.url)
  await fillNewProfile(page, { Name: 'Typo', 'Backend URL': 'http://insecure.example', 'MQTT URL': 'mqtts://broker.example.test' })
  await page.getByRole('button', { name: 'Save' }).click()
  await expect(page.getByRole('alert')).toContainText('Backend URL must be a URL starting with https://')
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue('Typo')
})

test('switches to Japanese and to the dark theme, and remembers both', async ({ page, host }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByLabel('Language').selectOption('ja')
  await expect(page.getByRole('button', { name: '新規プロファイル' })).toBeVisible()
  await page.getByLabel('テーマ').selectOption('dark')
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.reload()
  await expect(page.getByRole('button', { name: '新規プロファイル' })).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await expect(page.locator('html')).toHaveAttribute('lang', 'ja')
})

test('a page without the session token is told why nothing works', async ({ page, host }) => {
  await page.goto(`http://127.0.0.1:${host.port}/`)
  await expect(page.getByRole('alert')).toContainText('Invalid or missing session token')
})

test('without a keychain the console says so and refuses to save a password', async ({ page }) => {
  const data = tempDir('ota-e2e-nokeychain')
  const host = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'], { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' })
  try {
    await page.goto(host.url)
    await expect(page.getByRole('alert').first()).toContainText('No OS keychain is available, so passwords and keys cannot be saved')
    await fillNewProfile(page, { Name: 'Needs a secret', 'Backend URL': 'https://fleet.example.test', 'MQTT URL': 'mqtts://b.example.test', Password: 'nowhere-to-go' })
    await page.getByRole('button', { name: 'Save' }).click()
    // The keychain's own reason ("zbus error: …") is in the banner too, so find the save's error by its words.
    await expect(page.getByRole('alert').filter({ hasText: /^Error: The OS keychain is not available/ })).toContainText('nothing was saved')
    await expect(page.getByRole('list', { name: 'Connection profiles' }).getByRole('button')).toHaveCount(0)
    expect(filesContaining(data.dir, 'nowhere-to-go')).toEqual([])
  } finally {
    await host.stop()
    data.remove()
  }
})

test('a store written by a newer version shows why the console cannot start, and is left alone', async ({ page }) => {
  const data = tempDir('ota-e2e-newer')
  const db = new Database(join(data.dir, DATABASE_FILE))
  db.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); INSERT INTO schema_version VALUES (99, 'future', 'x')")
  db.close()
  const host = await startHostProcess(['--data-dir', data.dir, '--no-sandbox'])
  try {
    await page.goto(host.url)
    await expect(page.getByRole('heading', { name: 'The console cannot start' })).toBeVisible()
    await expect(page.getByRole('alert')).toContainText('schema version 99, written by a newer OTA Fleet Console')
    const after = new Database(join(data.dir, DATABASE_FILE), { readonly: true })
    expect(after.prepare('SELECT MAX(version) AS v FROM schema_version').get()).toEqual({ v: 99 })
    after.close()
  } finally {
    await host.stop()
    data.remove()
  }
})
