// Which file of the built renderer an app:// request gets. Plain Node, no Electron: the main
// process's handler calls it, and tests run it against real files.
import { realpath, stat } from 'node:fs/promises'
import { extname, isAbsolute, relative, resolve, sep } from 'node:path'
import { contentTypeOf } from '../shared/content-types'

/**
 * The renderer's own origin. A standard, secure scheme gives the page a real origin, so 'self'
 * in its CSP means this app and nothing else, where file:// would mean every local file.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'console'
export const RENDERER_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

const isInside = (folder: string, file: string) => {
  const rel = relative(folder, file)
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)
}

/**
 * The file under `root` that `requestUrl` names, and its content type; null, answered with a 404,
 * for another origin, a path that leaves `root` (`..`, percent-encoded or not, or a symlink out of
 * it), a folder, or a file that is not there.
 */
export async function resolveAppFile(root: string, requestUrl: string): Promise<{ file: string; type: string } | null> {
  let path: string
  try {
    const url = new URL(requestUrl)
    if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
    path = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  // On Windows a backslash separates and a colon starts a drive or a data stream; the build
  // names no file with either, and NUL ends a path in C.
  if (/[\\:\0]/.test(path)) return null
  try {
    // Compared after resolving symlinks, so a link inside the folder cannot point out of it.
    const [realRoot, file] = await Promise.all([realpath(root), realpath(resolve(root, `.${path === '/' ? '/index.html' : path}`))])
    if (!isInside(realRoot, file) || !(await stat(file)).isFile()) return null
    return { file, type: contentTypeOf(extname(file)) }
  } catch {
    return null
  }
}
