import type { IncomingMessage } from 'node:http'
import { request, type Agent } from 'node:https'
import { Readable } from 'node:stream'
import { describeError } from '../shared/errors'
import { BACKEND_API } from '../shared/http/backend-api'
import { createApiClient, TransportFailure, type ClientOptions, type HttpTransport } from '../shared/http/client'

const MAX_ANSWER_BYTES = 64 * 1024 * 1024

const headersOf = (res: IncomingMessage) => Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]))

/**
 * The client's bytes over Node's HTTPS, through the caller's agent (its CA, its client
 * certificate, its keep-alive pool). Answers are held in memory up to 64 MiB, or streamed to the
 * caller's sink.
 */
export function httpsTransport(baseUrl: string, agent: Agent): HttpTransport {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`)
  return (init) =>
    new Promise((resolve, reject) => {
      const url = new URL(init.path.replace(/^\//, ''), base)
      let settled = false
      const fail = (err: unknown) => {
        if (settled) return
        settled = true
        reject(err instanceof TransportFailure ? err : new TransportFailure(init.signal?.aborted ? 'canceled' : 'unreachable', describeError(err)))
      }
      const req = request(url, { method: init.method, headers: init.headers, agent, timeout: init.idleTimeoutMs, signal: init.signal }, (res) => {
        const status = res.statusCode ?? 0
        const headers = headersOf(res)
        if (init.sink && status < 300) {
          init.sink(res).then(() => ((settled = true), resolve({ status, headers, body: new Uint8Array() })), fail)
          return
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER_BYTES) req.destroy(new TransportFailure('unreachable', `the answer to ${init.method} ${url.pathname} is larger than 64 MiB`))
          else chunks.push(chunk)
        })
        res.on('end', () => ((settled = true), resolve({ status, headers, body: Buffer.concat(chunks) })))
        res.on('error', fail)
      })
      req.on('timeout', () => req.destroy(new TransportFailure('timeout', `no answer within ${init.idleTimeoutMs} ms`)))
      req.on('error', fail)
      const body = init.body
      if (body && Symbol.asyncIterator in body) {
        const source = body instanceof Readable ? body : Readable.from(body)
        source.on('error', (err) => req.destroy(err))
        source.pipe(req)
      } else req.end(body)
    })
}

/** The backend's API from Node through one agent: what the vehicles, the sandbox and the console's profiles use. */
export const nodeBackendApi = (baseUrl: string, agent: Agent, options: Omit<ClientOptions, 'origin'> = {}) =>
  createApiClient(BACKEND_API, httpsTransport(baseUrl, agent), { origin: new URL(baseUrl).origin, ...options })
