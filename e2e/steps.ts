import type { Page } from '@playwright/test'
import type { OtaApi } from '../src/shared/api'
import { apiClient } from '../test/support/https-client'
import { expect } from './sandbox-fixture'

/** The browser globals page-side code uses (e2e compiles without the DOM library). */
interface InPage {
  DataTransfer: new () => { items: { add(file: unknown): void } }
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown
}

/** Drops a file of random bytes on the firmware drop zone, as a drag from the desktop would. */
export async function dropFile(page: Page, name: string, size: number) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, size }) => {
      const { DataTransfer, File } = globalThis as unknown as InPage
      const bytes = new Uint8Array(size)
      for (let i = 0; i < size; i += 65_536) crypto.getRandomValues(bytes.subarray(i, i + 65_536))
      const dt = new DataTransfer()
      dt.items.add(new File([bytes], name, { type: 'application/octet-stream' }))
      return dt
    },
    { name, size }
  )
  await page.getByTestId('firmware-drop-zone').dispatchEvent('drop', { dataTransfer })
}

export const showScreen = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main navigation' }).getByRole('button', { name }).click()

/**
 * The sandbox is shared by the specs of a worker: hand targets signing back to the backend, as
 * an admin rotating to a new server-held key would, so later specs start as a fresh sandbox does.
 */
export async function handSigningBackToBackend(page: Page, token: string) {
  const profile = await activeProfile(page)
  expect((await apiClient(profile.backendUrl, profile.caCertPem!).post('/api/v1/tuf/rotate', { token, json: { role: 'targets' } })).status).toBe(200)
}

/** The console's active connection profile, as the page reads it: where a spec calls the backend itself. */
export const activeProfile = (page: Page) =>
  page.evaluate(async () => {
    const r = await (globalThis as unknown as { ota: OtaApi }).ota.profiles.list()
    if (!r.ok) throw new Error(r.error.message)
    return r.value.profiles.find((p) => p.id === r.value.activeId)!
  })
