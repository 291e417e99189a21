import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createOsKeychain } from './os-keychain'

// Runs inside scripts/with-keyring: a private D-Bus session with an unlocked gnome-keyring.
describe('the OS keychain (Secret Service)', () => {
  it('stores, reads and deletes a secret', async () => {
    const store = createOsKeychain('ota-fleet-console-test')
    const account = `round-trip-${process.pid}`
    expect(await store.status()).toEqual({ available: true })
    await store.set(account, 'pässwörd with ünïcode 🔑')
    expect(await store.get(account)).toBe('pässwörd with ünïcode 🔑')
    await store.delete(account)
    expect(await store.get(account)).toBeNull()
  })

  it('says plainly when there is no Secret Service, and stores nothing', () => {
    // The keychain library picks its D-Bus connection once per process, so ask from a fresh one.
    const script = join(__dirname, '../../../test/support/keychain-without-dbus.ts')
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', DISPLAY: '' },
      encoding: 'utf8'
    })
    const report = JSON.parse(out) as { status: { available: boolean; message: string }; setError: { code: string; message: string } }
    expect(report.status.available).toBe(false)
    expect(report.status.message).toMatch(/D-Bus|connect/i)
    expect(report.setError.message).toMatch(/^The OS keychain is not available \(.+\)\. Secrets are only ever kept in the keychain, so nothing was saved/)
    expect(report.setError.code).toBe('KEYCHAIN_UNAVAILABLE')
  })
})
