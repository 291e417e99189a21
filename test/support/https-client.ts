import { request } from 'node:https'
import { runtimeGroups } from '../../src/net/tls-groups'

export interface Answer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: Buffer
  json: any // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
}

/**
 * A tiny HTTPS client for the backend's API that trusts its generated CA. With an identity it
 * presents that device certificate (mTLS), on a new connection each time, so that each call shows
 * how the backend judges the certificate now.
 */
export function apiClient(baseUrl: string, caCertPem: string, identity?: { certPem: string; keyPem: string }) {
  const call = (method: string, path: string, opts: { token?: string; json?: unknown; body?: Buffer; headers?: Record<string, string> } = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { ...opts.headers }
      if (opts.token) headers.authorization = `Bearer ${opts.token}`
      let payload: Buffer | undefined
      if (opts.json !== undefined) {
        payload = Buffer.from(JSON.stringify(opts.json))
        headers['content-type'] = 'application/json'
      } else if (opts.body) {
        payload = opts.body
        headers['content-type'] ??= 'application/octet-stream'
      }
      // Every group, as the product's clients offer them: a backend on a security profile speaks only one.
      const req = request(
        new URL(path, baseUrl),
        { method, headers, ca: caCertPem, ecdhCurve: runtimeGroups(), cert: identity?.certPem, key: identity?.keyPem, agent: identity ? false : undefined },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => {
            const body = Buffer.concat(chunks)
            let json: unknown
            try {
              json = JSON.parse(body.toString())
            } catch {
              json = undefined
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json })
          })
        }
      )
      req.on('error', reject)
      req.end(payload)
    })
  return {
    get: (path: string, opts?: Parameters<typeof call>[2]) => call('GET', path, opts),
    post: (path: string, opts?: Parameters<typeof call>[2]) => call('POST', path, opts),
    put: (path: string, opts?: Parameters<typeof call>[2]) => call('PUT', path, opts),
    delete: (path: string, opts?: Parameters<typeof call>[2]) => call('DELETE', path, opts)
  }
}
