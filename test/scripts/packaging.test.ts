import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FuseV1Options } from '@electron/fuses'
// electron-builder's own loader and schema, from the app-builder-lib it pins: the test reads
// electron-builder.yml exactly as `npm run dist:*` will, and a misspelt key fails here too.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import type { Configuration } from 'electron-builder'
import { beforeAll, describe, expect, it } from 'vitest'
import { APP_SCHEME, RENDERER_URL } from '../../src/main/app-protocol'

const root = join(__dirname, '../..')
const mainDir = join(root, 'src/main')
const mainSource = readFileSync(join(mainDir, 'index.ts'), 'utf8')
const launcherSource = readFileSync(join(mainDir, 'utility-launcher.ts'), 'utf8')

describe('the packaged app (electron-builder.yml)', () => {
  let config: Configuration
  beforeAll(async () => {
    config = await getConfig(root, null, null)
    await validateConfiguration(config, new DebugLogger(false))
  })

  it('keeps the app in app.asar, which the fuses below make the only place code loads from', () => {
    expect(config.asar).toBe(true)
  })

  it('flips the fuses that close the ways into the main process other than our own code', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
      loadBrowserProcessSpecificV8Snapshot: false
    })
  })

  it('sets every fuse the installed @electron/fuses knows, so one an upgrade adds is decided, not left at its default', () => {
    const known = Object.keys(FuseV1Options).filter((name) => Number.isNaN(Number(name)))
    expect(known.length).toBeGreaterThan(0)
    for (const name of known) {
      expect(config.electronFuses, name).toHaveProperty(name[0]!.toLowerCase() + name.slice(1))
    }
  })

  it("starts the Local sandbox's programs as utility processes, so nothing needs ELECTRON_RUN_AS_NODE", () => {
    expect(mainSource).toMatch(/sandbox: \{ launcher: utilityLauncher\(__dirname\) \}/)
    expect(launcherSource).toMatch(/utilityProcess\.fork\(/)
    for (const source of [mainSource, launcherSource]) expect(source).not.toContain('ELECTRON_RUN_AS_NODE')
  })
})

describe('the window loads the renderer from app://console, not from file://', () => {
  it('registers the scheme before app ready, serves the renderer folder with it, and loads the window from it', () => {
    expect(RENDERER_URL).toBe(`${APP_SCHEME}://console/index.html`)
    const beforeReady = mainSource.slice(0, mainSource.indexOf('app.whenReady()'))
    expect(beforeReady).toMatch(/^registerAppScheme\(\)$/m)
    expect(mainSource).toContain("serveRenderer(join(__dirname, '../renderer'))")
    expect(mainSource).toContain('win.loadURL(RENDERER_URL)')
    expect(mainSource).toContain('createSenderCheck(() => window?.webContents, RENDERER_URL)')
  })

  it('has no file:// left in the main process: no loadFile, no file URL made or written', () => {
    for (const name of readdirSync(mainDir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))) {
      const source = readFileSync(join(mainDir, name), 'utf8')
      expect(source, name).not.toMatch(/\.loadFile\(|pathToFileURL|fileURLToPath|['"`]file:/)
    }
  })
})
