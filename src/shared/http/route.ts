import type { z } from 'zod'
import type { Action } from '../fleet/roles'

/** Who may call a route: users whose role allows an action, vehicles, or anyone. */
export type RouteAuth = { action: Action } | 'device' | 'public'

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE'

/** The answer of one status: JSON of a schema, or bytes (application/octet-stream). */
export type ResponseDecl = z.ZodType | 'binary'

/** One route of the backend's HTTPS API, as both the server and every client see it. */
export interface RouteDecl {
  method: Method
  /** Fastify syntax: /api/v1/releases/:id */
  path: string
  summary: string
  tag: string
  auth: RouteAuth
  /** The path's parameters, one key per `:name`. */
  params?: z.ZodType
  query?: z.ZodType
  /** JSON of a schema, or 'stream': bytes sent as application/octet-stream, never buffered. */
  body?: z.ZodType | 'stream'
  /** Status → answer. The 2xx entries are what a call returns; the rest are refusals in ApiError shape. */
  responses: Record<number, ResponseDecl>
  /** The media type of its binary answers: application/octet-stream unless set. */
  mediaType?: string
}

/** `:id` and `:vin` of '/api/v1/vehicles/:vin/jobs/:id'. */
export type PathParamNames<P extends string> = P extends `${string}:${infer Name}/${infer Rest}`
  ? Name | PathParamNames<`/${Rest}`>
  : P extends `${string}:${infer Name}`
    ? Name
    : never

// A path with parameters needs a params schema that has exactly those keys; one without has none.
type ParamsOf<P extends string> = [PathParamNames<P>] extends [never] ? { params?: never } : { params: z.ZodType<{ [K in PathParamNames<P>]: string | number }> }

/** Declares a route; tsc refuses a params schema that does not name the path's parameters. */
export const route = <const R extends RouteDecl>(decl: R & ParamsOf<R['path']>): R => decl

export const SUCCESS = [200, 201, 202, 204, 206] as const
export type SuccessStatus = (typeof SUCCESS)[number]

/** Bytes of a binary answer, with the status and headers that say which part of the file they are. */
export interface BinaryAnswer {
  status: number
  headers: Record<string, string | undefined>
  bytes: Uint8Array
}

type AnswerOf<D> = D extends 'binary' ? BinaryAnswer : D extends z.ZodType ? z.output<D> : never
type SuccessOf<R extends RouteDecl> = Extract<keyof R['responses'], SuccessStatus>

/** What a successful call of the route gives: the union of its 2xx answers. */
export type RouteAnswer<R extends RouteDecl> = { [S in SuccessOf<R>]: AnswerOf<R['responses'][S]> }[SuccessOf<R>]

/** True when some 2xx answer of the route is bytes. */
export type IsBinary<R extends RouteDecl> = 'binary' extends R['responses'][SuccessOf<R>] ? true : false

type InputOf<S> = S extends z.ZodType ? z.input<S> : never
export type RouteParams<R extends RouteDecl> = InputOf<R['params']>
export type RouteQuery<R extends RouteDecl> = InputOf<R['query']>
/** The body a caller sends: the schema's input, or the bytes of a stream body. */
export type RouteBody<R extends RouteDecl> = R['body'] extends 'stream' ? AsyncIterable<Uint8Array> : InputOf<R['body']>

/** The statuses a route answers on success, in declaration order. */
export const successStatuses = (decl: RouteDecl) =>
  Object.keys(decl.responses)
    .map(Number)
    .filter((s): s is SuccessStatus => (SUCCESS as readonly number[]).includes(s))

/** '/api/v1/releases/:id' with { id: 'rel_1' } → '/api/v1/releases/rel_1' (each value URL-encoded). */
export function pathOf(decl: RouteDecl, params: Record<string, unknown> = {}) {
  return decl.path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name]
    if (value === undefined || value === null || value === '') throw new Error(`${decl.method} ${decl.path} needs the path parameter ${name}`)
    return encodeURIComponent(String(value))
  })
}

/** A table of routes grouped by namespace: api.releases.publish is TABLE.releases.publish. */
export type RouteTable = Record<string, Record<string, RouteDecl>>

/** Every route of a table with its name ('releases.publish'), in declaration order. */
export const routesOf = (table: RouteTable) => Object.entries(table).flatMap(([ns, routes]) => Object.entries(routes).map(([name, decl]) => ({ name: `${ns}.${name}`, decl })))
