import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { WS_CLOSE_BAD_TOKEN, WS_MAX_PAYLOAD, WS_PATH } from '../shared/wire'
import type { Core } from '../core/create-core'
import { createStaticFiles } from './static-files'
import { bindSocket } from './ws-binding'

export interface HostOptions {
  core: Core
  rendererDir: string
  bridgeFile: string
  port?: number
  host?: string
  token?: string
}

export interface RunningHost {
  url: string
  port: number
  token: string
  close(): Promise<void>
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

const sameSecret = (given: string | null, token: string) => {
  if (!given) return false
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The browser host: the built renderer over HTTP and the contract over a token-guarded WebSocket. */
export async function startHost({ core, rendererDir, bridgeFile, port = 0, host = '127.0.0.1', token }: HostOptions): Promise<RunningHost> {
  const secret = token ?? randomBytes(24).toString('base64url')
  const serveFile = createStaticFiles(rendererDir, bridgeFile)
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD })
  let boundPort = 0

  // On loopback, a foreign Host header means DNS rebinding: refuse it.
  const hostAllowed = (req: IncomingMessage) => {
    if (!LOOPBACK.has(host)) return true
    const name = (req.headers.host ?? '').replace(/:\d+$/, '')
    return LOOPBACK.has(name) && req.headers.host?.endsWith(`:${boundPort}`) === true
  }
  const originAllowed = (req: IncomingMessage) => !req.headers.origin || req.headers.origin === `http://${req.headers.host}`

  const server = createServer((req, res) => {
    const headers = {
      'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws://${req.headers.host}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cross-origin-opener-policy': 'same-origin'
    }
    if (!hostAllowed(req)) {
      res.writeHead(421, { 'content-type': 'text/plain' })
      return res.end('Unexpected Host header\n')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' })
      return res.end()
    }
    void serveFile(new URL(req.url ?? '/', 'http://host').pathname, res, headers)
  })

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://host')
    if (url.pathname !== WS_PATH || !hostAllowed(req) || !originAllowed(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!sameSecret(url.searchParams.get('token'), secret)) {
        ws.close(WS_CLOSE_BAD_TOKEN, 'Invalid or missing session token: open the URL that npm run serve printed')
        return
      }
      bindSocket(ws, core)
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  boundPort = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shownHost}:${boundPort}/?token=${secret}`,
    port: boundPort,
    token: secret,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate()
        wss.close()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
