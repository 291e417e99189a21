import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import type { OtaApi } from '../../src/shared/api'

const root = join(__dirname, '../..')

/**
 * The console as a user runs it (`npm run serve`'s program, the built renderer, the OS keychain
 * of a private keyring session) opened in Chromium: what the console benchmarks measure.
 */
export async function openConsolePage(dataDir: string): Promise<{ page: Page; browser: Browser; hostPid: number; close(): Promise<void> }> {
  const host = spawn('bash', [join(root, 'scripts/with-keyring'), process.execPath, '--import', 'tsx', join(root, 'src/host/cli.ts'), '--data-dir', dataDir, '--no-sandbox'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true
  })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the console host printed no URL:\n${out}`)), 30_000)
    const read = (c: Buffer) => {
      out += c
      const m = /Open (http:\/\/\S+)/.exec(out)
      if (!m) return
      clearTimeout(timer)
      resolve(m[1]!)
    }
    host.stdout.on('data', read)
    host.stderr.on('data', (c: Buffer) => (out += c))
    host.once('exit', (code) => reject(new Error(`the console host exited with ${code}:\n${out}`)))
  })
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--enable-precise-memory-info']
  })
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } })
  await page.goto(url)
  return {
    page,
    browser,
    hostPid: host.pid!,
    async close() {
      await browser.close()
      await new Promise<void>((resolve) => {
        host.once('exit', () => resolve())
        process.kill(-host.pid!, 'SIGTERM')
      })
    }
  }
}

/** Signs the page's console in to a backend with a token, as a user filling in a profile would. */
export async function signIn(page: Page, backend: { url: string; mqttUrl: string; caCertPem: string; token: string }) {
  await page.evaluate(async (b) => {
    const { ota } = globalThis as unknown as { ota: OtaApi }
    const created = await ota.profiles.create({
      name: 'Bench',
      backendUrl: b.url,
      mqttUrl: b.mqttUrl,
      username: 'admin',
      authKind: 'token',
      caCertPem: b.caCertPem,
      clientCertPem: null,
      password: b.token
    })
    if (!created.ok) throw new Error(created.error.message)
    await ota.profiles.setActive({ id: created.value.id })
  }, backend)
  await page.waitForFunction(
    async () => {
      const r = await (globalThis as unknown as { ota: OtaApi }).ota.session.status()
      return r.ok && r.value.backend === 'ok' && r.value.live === 'connected'
    },
    undefined,
    { timeout: 30_000, polling: 200 }
  )
}
