import { Agent, request } from 'node:https'

export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/**
 * The vehicle's HTTPS to the backend: the backend's CA, one keep-alive agent, and either a token
 * per request or (mTLS) a client certificate for the whole agent.
 */
export function backendClient(baseUrl: string, ca: string, clientCertificate?: { certPem: string; keyPem: string }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca, cert: clientCertificate?.certPem, key: clientCertificate?.keyPem })
  const send = (method: string, path: string, token: string | undefined, body?: unknown, headers: Record<string, string> = {}, signal?: AbortSignal) =>
    new Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>((resolve, reject) => {
      const h: Record<string, string> = { ...headers }
      if (token) h.authorization = `Bearer ${token}`
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body))
      if (payload) h['content-type'] = 'application/json'
      const req = request(new URL(path, baseUrl), { method, headers: h, agent, signal }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(payload)
    })
  const json = async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const res = await send(method, path, token, body)
    if (res.status >= 300) throw new HttpStatusError(res.status, `${method} ${path}: HTTP ${res.status} ${res.body.toString().slice(0, 200)}`)
    return JSON.parse(res.body.toString()) as T
  }
  return {
    json,
    /** GET that answers undefined on 404 (how TUF says "no newer root"). */
    async text(path: string, token?: string) {
      const res = await send('GET', path, token)
      if (res.status === 404) return undefined
      if (res.status !== 200) throw new HttpStatusError(res.status, `GET ${path}: HTTP ${res.status}`)
      return res.body.toString()
    },
    /** One byte range of a file; the caller resumes from where it stopped. */
    async range(path: string, token: string | undefined, start: number, end: number, signal?: AbortSignal) {
      const res = await send('GET', path, token, undefined, { range: `bytes=${start}-${end}` }, signal)
      if (res.status !== 206) throw new HttpStatusError(res.status, `GET ${path} bytes ${start}-${end}: HTTP ${res.status}`)
      return res.body
    },
    close: () => agent.destroy()
  }
}
export type BackendClient = ReturnType<typeof backendClient>
