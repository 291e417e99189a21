import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FuseV1Options } from '@electron/fuses'
// electron-builder's own loader and schema, from the app-builder-lib it pins: the test reads
// electron-builder.yml exactly as `npm run dist:*` will, and a misspelt key fails here too.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config'
import { DebugLogger } from 'builder-util'
import type { Configuration } from 'electron-builder'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(__dirname, '../..')
const mainSource = readFileSync(join(root, 'src/main/index.ts'), 'utf8')

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
      runAsNode: true,
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

  it('leaves ELECTRON_RUN_AS_NODE on only while the Local sandbox still starts its children with it', () => {
    expect(config.electronFuses?.runAsNode).toBe(mainSource.includes('ELECTRON_RUN_AS_NODE'))
  })
})
