import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { Action } from '../../shared/fleet/roles'
import type { Principal } from '../auth/tokens'

/** Who may call a route: users whose role allows an action, vehicles, or anyone. */
export type RouteAuth = { action: Action } | 'device' | 'public'

// An erased route (the table's element type) sees unknown; a declared one sees its schema's type.
type Infer<S> = unknown extends S ? unknown : S extends z.ZodType ? z.output<S> : undefined

export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE'
  /** Fastify syntax: /api/v1/releases/:id */
  url: string
  summary: string
  tag: string
  auth: RouteAuth
  body?: B
  /** The body is a stream of bytes (application/octet-stream), never buffered. */
  streamBody?: boolean
  query?: Q
  params?: P
  /** Status → schema of the JSON answer, or 'binary' for bytes. */
  responses: Record<number, z.ZodType | 'binary'>
  handler(ctx: { body: Infer<B>; query: Infer<Q>; params: Infer<P>; principal: Principal | undefined; request: FastifyRequest; reply: FastifyReply }): Promise<unknown>
}

/** Declares a route once: validation, role check, handler and its OpenAPI entry all come from it. */
export const defineRoute = <B extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, P extends z.ZodType | undefined = undefined>(
  spec: RouteSpec<B, Q, P>
) => spec as unknown as RouteSpec
