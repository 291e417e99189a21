import { mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../../test/support/temp-dir'
import { resolveAppFile } from './app-protocol'

// A built renderer, and a secret beside it that no app:// URL may reach. Real paths, as the
// resolver answers with them (macOS's temporary folder is behind a symlink).
const dir = tempDir('ota-app-protocol')
const root = join(realpathSync(dir.dir), 'renderer')
const secret = join(realpathSync(dir.dir), 'secret.txt')
mkdirSync(join(root, 'assets'), { recursive: true })
// Names Windows would read as a drive and a separator: refused on every platform.
mkdirSync(join(root, 'C:'))
writeFileSync(join(root, 'C:/win.ini'), '')
writeFileSync(join(root, 'back\\slash.js'), '')
writeFileSync(join(root, 'index.html'), '<!doctype html>')
writeFileSync(join(root, 'assets/index-1.js'), 'export {}')
writeFileSync(join(root, 'assets/index-1.css'), 'body {}')
writeFileSync(join(root, 'assets/blob.bin'), '')
writeFileSync(secret, 'not for the renderer')
symlinkSync(secret, join(root, 'leak.txt'))
symlinkSync(join(root, 'assets/index-1.js'), join(root, 'alias.js'))
afterAll(() => dir.remove())

const resolved = (path: string) => resolveAppFile(root, `app://console${path}`)

describe('app://console/ serves the built renderer folder', () => {
  it('maps a path to its file and content type; / is index.html; query and fragment are ignored', async () => {
    expect(await resolved('/')).toEqual({ file: join(root, 'index.html'), type: 'text/html; charset=utf-8' })
    expect(await resolved('/index.html?token=1#/fleet')).toEqual({ file: join(root, 'index.html'), type: 'text/html; charset=utf-8' })
    expect(await resolved('/assets/index-1.js')).toEqual({ file: join(root, 'assets/index-1.js'), type: 'text/javascript; charset=utf-8' })
    expect(await resolved('/assets/index-1.css')).toEqual({ file: join(root, 'assets/index-1.css'), type: 'text/css; charset=utf-8' })
    expect(await resolved('/assets/blob.bin')).toEqual({ file: join(root, 'assets/blob.bin'), type: 'application/octet-stream' })
  })

  it('follows a symlink that stays inside the folder', async () => {
    expect(await resolved('/alias.js')).toEqual({ file: join(root, 'assets/index-1.js'), type: 'text/javascript; charset=utf-8' })
  })

  it('refuses every way out of the folder: .. percent-encoded past the URL parser, a backslash, a symlink', async () => {
    for (const path of ['/%2e%2e%2fsecret.txt', '/..%2fsecret.txt', '/assets/..%2F..%2Fsecret.txt', '/%2e%2e%5csecret.txt', '/..\\secret.txt', '/leak.txt']) {
      expect(await resolved(path), path).toBeNull()
    }
  })

  it('takes an absolute path as one inside the folder, and a drive letter, a backslash or NUL not at all', async () => {
    for (const path of [`/${secret}`, `/${encodeURIComponent(secret)}`, '/C:/win.ini', '/back%5Cslash.js', '/index.html%00.js']) {
      expect(await resolved(path), path).toBeNull()
    }
  })

  it('answers nothing for a folder, a missing file, a broken escape, another host or scheme', async () => {
    for (const url of [
      'app://console/assets',
      'app://console/assets/',
      'app://console/missing.js',
      'app://console/%E0%A4%A',
      'app://other/index.html',
      'file:///index.html',
      'not a url'
    ]) {
      expect(await resolveAppFile(root, url), url).toBeNull()
    }
    expect(await resolveAppFile(root, `file://${join(root, 'index.html')}`)).toBeNull()
  })
})
