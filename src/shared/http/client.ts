import type { z } from 'zod'
import { OtaError, type ErrorCode } from '../errors'
import { ApiError, type ApiErrorCode } from '../fleet/errors'
import {
  pathOf,
  routesOf,
  successStatuses,
  type BinaryAnswer,
  type Method,
  type ResponseDecl,
  type RouteAnswer,
  type RouteBody,
  type RouteDecl,
  type RouteParams,
  type RouteQuery,
  type RouteTable
} from './route'

/** One HTTP exchange as a transport carries it; the client has built the path and the headers. */
export interface HttpRequest {
  method: Method
  /** Path and query string, relative to the backend's base URL. */
  path: string
  headers: Record<string, string>
  body?: Uint8Array | AsyncIterable<Uint8Array>
  signal?: AbortSignal
  /** The request fails when no byte moves either way for this long. */
  idleTimeoutMs: number
  /** Where a successful answer's bytes go instead of memory (a bundle to a file). */
  sink?: (body: AsyncIterable<Uint8Array>) => Promise<void>
}

export interface HttpResponse {
  status: number
  headers: Record<string, string | undefined>
  body: Uint8Array
}

export type HttpTransport = (request: HttpRequest) => Promise<HttpResponse>

/** How a transport says an exchange did not complete; the client words it for the user. */
export class TransportFailure extends Error {
  constructor(
    readonly kind: 'unreachable' | 'timeout' | 'canceled',
    message: string
  ) {
    super(message)
  }
}

/** A refusal of the backend (an HTTP status of 400 or more), with its status and the backend's own code. */
export class BackendRefusal extends OtaError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly status: number,
    readonly apiCode: ApiErrorCode | undefined
  ) {
    super(code, message)
  }
}

/** For a .catch: a 404 means "there is none" (how TUF says no newer root); any other failure stays one. */
export const absentOn404 = (err: unknown): undefined => {
  if (err instanceof BackendRefusal && err.status === 404) return undefined
  throw err
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
  'not-ready': 'BACKEND_UNREACHABLE',
  internal: 'BACKEND_ERROR'
}

export interface CallOptions {
  signal?: AbortSignal
  /** Extra headers, such as Range. */
  headers?: Record<string, string>
  timeoutMs?: number
  /** Streams a binary answer to where the caller wants it; the answer then carries no bytes. */
  sink?: (body: AsyncIterable<Uint8Array>) => Promise<void>
}

export interface ClientOptions {
  /** Shown in messages: "The backend at https://… could not be reached". */
  origin: string
  /** Sent with every call: the credential. */
  headers?: Record<string, string>
  /** Idle timeout of one attempt. */
  timeoutMs?: number
  /** Idempotent calls (GET, PUT, DELETE) try again after a failed connection or a 502/503, this many times in all. */
  attempts?: number
  /** The first wait between attempts; each next one is four times longer, with up to 50 % added at random. */
  backoffMs?: number
}

type ParamsArg<R extends RouteDecl> = R['params'] extends z.ZodType ? [params: RouteParams<R>] : []
type InputArg<R extends RouteDecl> = R['body'] extends z.ZodType | 'stream' ? [body: RouteBody<R>] : R['query'] extends z.ZodType ? [query?: RouteQuery<R>] : []
/** The arguments of a call: path parameters, then the body or the query, then options. */
export type CallArgs<R extends RouteDecl> = [...ParamsArg<R>, ...InputArg<R>, options?: CallOptions]

/** api.releases.publish({ id }): one method per route of the table, typed from its declaration. */
export type ApiClient<T extends RouteTable> = {
  [NS in keyof T]: { [K in keyof T[NS]]: (...args: CallArgs<T[NS][K]>) => Promise<RouteAnswer<T[NS][K]>> }
}

const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'DELETE'])
const RETRY_STATUS = new Set([502, 503])
const encoder = new TextEncoder()
const decoder = new TextDecoder()

function queryString(query: unknown) {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (value === undefined || value === null) continue
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, String(one))
  }
  const text = search.toString()
  return text ? `?${text}` : ''
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(resolve, ms)
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true })
  })

/** A value the backend sent, checked against the schema the caller expects; the error names where and which field. */
export function answerAs<S extends z.ZodType>(schema: S, value: unknown, label: string): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`
  throw new OtaError('BACKEND_ERROR', `The backend's answer to ${label} does not match the API (${field}); is it a different version?`)
}

/**
 * The backend's HTTPS API as one object built from the route table. Every call builds its path
 * from the declaration, validates the answer against the declared schema, maps refusals to the
 * contract's errors and retries what is safe to retry; the transport only moves bytes.
 */
export function createApiClient<T extends RouteTable>(table: T, transport: HttpTransport, options: ClientOptions): ApiClient<T> {
  const { origin, timeoutMs = 30_000, attempts = 3, backoffMs = 250 } = options

  const refusal = (label: string, status: number, body: Uint8Array) => {
    let parsed: ApiError | undefined
    try {
      parsed = ApiError.parse(JSON.parse(decoder.decode(body)))
    } catch {
      parsed = undefined
    }
    if (parsed) return new BackendRefusal(CODE_FOR[parsed.error.code], parsed.error.message, status, parsed.error.code)
    return new BackendRefusal(status === 401 ? 'AUTH_REJECTED' : 'BACKEND_ERROR', `The backend answered ${label} with HTTP ${status}`, status, undefined)
  }

  const failure = (label: string, err: unknown) => {
    if (err instanceof OtaError) return err
    if (err instanceof TransportFailure && err.kind === 'canceled') return new OtaError('CANCELED', `${label} was canceled`)
    return new OtaError('BACKEND_UNREACHABLE', `The backend at ${origin} could not be reached: ${(err as Error).message}`)
  }

  async function exchange(decl: RouteDecl, label: string, request: HttpRequest) {
    const retryable = IDEMPOTENT.has(decl.method) && !(request.body && Symbol.asyncIterator in request.body)
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse | undefined
      let error: unknown
      try {
        response = await transport(request)
      } catch (err) {
        error = err
      }
      const again = retryable && attempt < attempts && !request.signal?.aborted
      const transient = response ? RETRY_STATUS.has(response.status) : error instanceof TransportFailure && error.kind === 'unreachable'
      if (again && transient) {
        await sleep(backoffMs * 4 ** (attempt - 1) * (1 + Math.random() / 2), request.signal).catch(() => undefined)
        continue
      }
      if (!response) throw failure(label, error)
      return response
    }
  }

  /** A route's 2xx answers by status, and whether one is bytes: read once when the client is built, not on every call. */
  const answersOf = (decl: RouteDecl) => {
    const successes = new Map<number, ResponseDecl>(successStatuses(decl).map((s) => [s, decl.responses[s]!]))
    return { successes, binary: [...successes.values()].includes('binary') }
  }

  async function call(name: string, decl: RouteDecl, { successes, binary }: ReturnType<typeof answersOf>, args: unknown[]) {
    let i = 0
    const params = decl.params ? (args[i++] as Record<string, unknown>) : undefined
    const input = decl.body || decl.query ? args[i++] : undefined
    const opts = (args[i] ?? {}) as CallOptions
    const path = pathOf(decl, params) + (decl.query ? queryString(input) : '')
    const label = `${name} (${decl.method} ${path.split('?')[0]})`
    const headers: Record<string, string> = { ...options.headers, accept: binary ? (decl.mediaType ?? 'application/octet-stream') : 'application/json', ...opts.headers }
    let body: HttpRequest['body']
    if (decl.body === 'stream') {
      headers['content-type'] = 'application/octet-stream'
      body = input as AsyncIterable<Uint8Array>
    } else if (decl.body) {
      headers['content-type'] = 'application/json'
      body = encoder.encode(JSON.stringify(input ?? null))
    }
    const response = await exchange(decl, label, {
      method: decl.method,
      path,
      headers,
      body,
      signal: opts.signal,
      idleTimeoutMs: opts.timeoutMs ?? timeoutMs,
      sink: binary ? opts.sink : undefined
    })
    if (response.status >= 400) throw refusal(label, response.status, response.body)
    const declared = successes.get(response.status)
    if (!declared) {
      throw new OtaError('BACKEND_ERROR', `The backend answered ${label} with HTTP ${response.status}, which this API does not declare; is it a different version?`)
    }
    if (declared === 'binary') return { status: response.status, headers: response.headers, bytes: response.body } satisfies BinaryAnswer
    let value: unknown = null
    if (response.status !== 204 && response.body.length > 0) {
      try {
        value = JSON.parse(decoder.decode(response.body))
      } catch {
        throw new OtaError('BACKEND_ERROR', `The backend's answer to ${label} is not JSON; is it a different version?`)
      }
    }
    return answerAs(declared, value, label)
  }

  const api: Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>> = {}
  for (const { name, decl } of routesOf(table)) {
    const [ns, method] = name.split('.') as [string, string]
    const answers = answersOf(decl)
    ;(api[ns] ??= {})[method] = (...args) => call(name, decl, answers, args)
  }
  return api as ApiClient<T>
}

/** Every page of a cursor-paged list: asks for page after page until the backend says there is no next. */
export async function* pages<Q extends object, P extends { nextCursor: unknown }>(
  fetchPage: (query: Q & { cursor?: NonNullable<P['nextCursor']> }, options?: CallOptions) => Promise<P>,
  query: Q,
  options?: CallOptions
): AsyncGenerator<P> {
  let cursor: NonNullable<P['nextCursor']> | undefined
  for (;;) {
    const page = await fetchPage({ ...query, cursor }, options)
    yield page
    if (page.nextCursor === null || page.nextCursor === undefined) return
    cursor = page.nextCursor
  }
}
