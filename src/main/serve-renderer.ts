import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { APP_SCHEME, resolveAppFile } from './app-protocol'

/**
 * Before app ready. Standard and secure: relative URLs resolve and the page is a secure context
 * with an origin of its own. supportFetchAPI because its module script and stylesheet are
 * requested in CORS mode (vite marks them crossorigin); without corsEnabled, no other origin may
 * read these files, and without bypassCSP the page's CSP still applies to them.
 */
export function registerAppScheme() {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }])
}

/** After app ready: app://console/… from the built renderer folder, a 404 for anything else. */
export function serveRenderer(root: string) {
  protocol.handle(APP_SCHEME, async (request) => {
    const found = await resolveAppFile(root, request.url)
    if (!found) return new Response('Not found\n', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } })
    return new Response(await readFile(found.file), { headers: { 'content-type': found.type, 'x-content-type-options': 'nosniff' } })
  })
}
