import type { IncomingMessage } from 'node:http'
import { Agent, request } from 'node:https'
import type { Readable } from 'node:stream'
import { createSecureContext } from 'node:tls'
import type { z } from 'zod'
import { OtaError, type ErrorCode } from '../../shared/errors'
import { ApiError, type ApiErrorCode } from '../../shared/fleet/errors'
import { describeError } from '../profiles/classify-failure'
import { authorizationHeader, tlsOptions, type Credentials } from '../profiles/credentials'

export type Query = Record<string, string | number | boolean | undefined>

export interface RequestInit {
  query?: Query
  body?: unknown
  /** A streamed body (an upload), sent as application/octet-stream. */
  stream?: Readable
  signal?: AbortSignal
}

const CODE_FOR: Record<ApiErrorCode, ErrorCode> = {
  'bad-request': 'INVALID_INPUT',
  unauthorized: 'AUTH_REJECTED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  conflict: 'CONFLICT',
  'too-large': 'INVALID_INPUT',
  'range-not-satisfiable': 'INVALID_INPUT',
  timeout: 'TIMEOUT',
  internal: 'BACKEND_ERROR'
}

const MAX_ANSWER_BYTES = 64 * 1024 * 1024

/**
 * The fleet backend's HTTPS API as the active profile reaches it: its CA, its client certificate
 * and its token. Answers are validated with the same schemas the backend declares, and every
 * failure becomes an OtaError whose message says what happened in the user's terms.
 */
/** The profile's CA, client certificate and key as one TLS context; a key that cannot be opened is said in the user's terms. */
function secureContextOf(credentials: Credentials) {
  try {
    return createSecureContext(tlsOptions(credentials))
  } catch (err) {
    const reason = (err as Error).message
    const hint = /bad decrypt|bad password|passphrase/i.test(reason) ? 'the key passphrase is wrong' : reason
    throw new OtaError('INVALID_INPUT', `The profile "${credentials.profile.name}" cannot open its client certificate and key: ${hint}. Edit the profile to fix them.`)
  }
}

export function createBackendClient(credentials: Credentials, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}) {
  // One secure context, not its options: the agent names its socket pool after the options on
  // every request, and with a private CA they hold the ~140 system roots, joined into one string
  // each time (45 % of the console's CPU time in a 1,000-vehicle DTC read, bench/dtc-batch.ts).
  const agent = new Agent({ keepAlive: true, maxSockets: 8, secureContext: secureContextOf(credentials) })
  const base = new URL(credentials.profile.backendUrl.endsWith('/') ? credentials.profile.backendUrl : `${credentials.profile.backendUrl}/`)
  const auth = authorizationHeader(credentials)

  const urlFor = (path: string, query: Query = {}) => {
    const url = new URL(path.replace(/^\//, ''), base)
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value))
    return url
  }

  function send(method: string, path: string, init: RequestInit = {}): Promise<{ status: number; body: Buffer }> {
    const url = urlFor(path, init.query)
    const json = init.body === undefined ? undefined : Buffer.from(JSON.stringify(init.body))
    const headers: Record<string, string> = { ...auth, accept: 'application/json' }
    if (json) headers['content-type'] = 'application/json'
    if (init.stream) headers['content-type'] = 'application/octet-stream'
    return new Promise((resolve, reject) => {
      const req = request(url, { method, headers, agent, timeout: timeoutMs, signal: init.signal }, (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > MAX_ANSWER_BYTES) req.destroy(new Error(`the answer to ${method} ${url.pathname} is larger than 64 MiB`))
          else chunks.push(chunk)
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }))
        res.on('error', reject)
      })
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
      req.on('error', (err) => {
        if (init.signal?.aborted) reject(new OtaError('CANCELED', `${method} ${url.pathname} was canceled`))
        else reject(new OtaError('BACKEND_UNREACHABLE', `The backend at ${base.origin} could not be reached: ${describeError(err)}`))
      })
      if (init.stream) {
        init.stream.on('error', (err) => req.destroy(err))
        init.stream.pipe(req)
      } else req.end(json)
    })
  }

  const refusal = (status: number, body: Buffer) => {
    let parsed: ApiError | undefined
    try {
      parsed = ApiError.parse(JSON.parse(body.toString('utf8')))
    } catch {
      parsed = undefined
    }
    if (parsed) return new OtaError(CODE_FOR[parsed.error.code], parsed.error.message)
    return new OtaError(status === 401 ? 'AUTH_REJECTED' : 'BACKEND_ERROR', `The backend answered HTTP ${status}`)
  }

  return {
    origin: base.origin,

    /** A call whose answer is JSON of the given schema (or no body, for 204). */
    async call<S extends z.ZodType>(schema: S, method: string, path: string, init?: RequestInit): Promise<z.output<S>> {
      const { status, body } = await send(method, path, init)
      if (status >= 400) throw refusal(status, body)
      const value = status === 204 || body.length === 0 ? null : JSON.parse(body.toString('utf8'))
      const parsed = schema.safeParse(value)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]
        throw new OtaError(
          'BACKEND_ERROR',
          `The backend's answer to ${method} ${path} is not what this console understands (${issue?.path.join('.') || 'body'}: ${issue?.message}); is it a different version?`
        )
      }
      return parsed.data
    },

    close: () => agent.destroy()
  }
}
export type BackendClient = ReturnType<typeof createBackendClient>
