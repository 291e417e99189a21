import { readFile } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { contentTypeOf } from '../shared/content-types'

export const BRIDGE_PATH = '/ota-bridge.js'

/**
 * Serves the built renderer. index.html gets the bridge script in front of the app's module,
 * so window.ota exists before the renderer runs: the host's counterpart of the preload.
 */
export function createStaticFiles(rendererDir: string, bridgeFile: string) {
  const resolveInside = (urlPath: string) => {
    const file = normalize(join(rendererDir, decodeURIComponent(urlPath)))
    return file.startsWith(rendererDir + sep) ? file : undefined
  }
  return async (urlPath: string, res: ServerResponse, headers: Record<string, string>) => {
    const isIndex = urlPath === '/' || urlPath === '/index.html'
    const file = urlPath === BRIDGE_PATH ? bridgeFile : resolveInside(isIndex ? '/index.html' : urlPath)
    let body: Buffer
    try {
      if (!file) throw new Error('outside')
      body = await readFile(file)
    } catch {
      const missing = isIndex || urlPath === BRIDGE_PATH
      res.writeHead(missing ? 503 : 404, { ...headers, 'content-type': 'text/plain; charset=utf-8' })
      return res.end(missing ? 'The console is not built yet: run `npm run build`, then start the host again.\n' : 'Not found\n')
    }
    if (isIndex) {
      body = Buffer.from(body.toString('utf8').replace('</head>', `  <script src="${BRIDGE_PATH}"></script>\n  </head>`))
    }
    res.writeHead(200, {
      ...headers,
      'content-type': contentTypeOf(extname(file!)),
      'cache-control': isIndex ? 'no-store' : 'no-cache'
    })
    res.end(body)
  }
}
