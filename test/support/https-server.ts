import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import type { TestPki } from './pki'

/** A real HTTPS server with the test CA's certificate; it answers 401 to a wrong bearer token. */
export async function startHttps(pki: TestPki, acceptToken?: string) {
  const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    const auth = req.headers.authorization
    if (acceptToken && auth?.startsWith('Bearer ') && auth !== `Bearer ${acceptToken}`) {
      res.writeHead(401).end()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `https://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())))
  }
}
