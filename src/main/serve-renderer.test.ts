import { mkdirSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { tempDir } from '../../test/support/temp-dir'
import { RENDERER_URL } from './app-protocol'
import { registerAppScheme, serveRenderer } from './serve-renderer'

// Electron's protocol module, recording what the main process registers.
const electron = vi.hoisted(() => ({
  privileged: [] as Electron.CustomScheme[],
  handlers: new Map<string, (request: Request) => Promise<Response>>()
}))
vi.mock('electron', () => ({
  protocol: {
    registerSchemesAsPrivileged: (schemes: Electron.CustomScheme[]) => electron.privileged.push(...schemes),
    handle: (scheme: string, handler: (request: Request) => Promise<Response>) => electron.handlers.set(scheme, handler)
  }
}))

const dir = tempDir('ota-serve-renderer')
const root = join(realpathSync(dir.dir), 'renderer')
mkdirSync(root)
writeFileSync(join(root, 'index.html'), '<!doctype html><title>console</title>')
writeFileSync(join(dir.dir, 'secret.txt'), 'not for the renderer')
afterAll(() => dir.remove())

describe('the main process serves the renderer on app://console', () => {
  it('registers app as a standard, secure scheme that bypasses neither the CSP nor CORS', () => {
    registerAppScheme()
    expect(electron.privileged).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }])
  })

  it("answers the window's URL with the renderer's index.html, typed and not to be sniffed", async () => {
    serveRenderer(root)
    const response = await electron.handlers.get('app')!(new Request(RENDERER_URL))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toBe('<!doctype html><title>console</title>')
  })

  it('answers 404, without the file, for a path out of the folder or one that is not there', async () => {
    serveRenderer(root)
    for (const url of ['app://console/%2e%2e%2fsecret.txt', 'app://console/missing.js']) {
      const response = await electron.handlers.get('app')!(new Request(url))
      expect(response.status, url).toBe(404)
      expect(await response.text()).toBe('Not found\n')
    }
  })
})
