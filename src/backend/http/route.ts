import type { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { IsBinary, RouteAnswer, RouteDecl, RouteTable } from '../../shared/http/route'
import type { Principal } from '../auth/tokens'

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined

/** JSON the handler already holds as text (a stored TUF file), sent as it is. */
export class PreEncoded<T> {
  declare readonly answer: T
  constructor(readonly json: string) {}
}

/**
 * What a handler gives back. A JSON route answers its declared 2xx body (the app sends it with
 * that status); a route with bytes sends them on the reply itself and returns the reply.
 */
export type HandlerResult<R extends RouteDecl> = IsBinary<R> extends true ? FastifyReply : RouteAnswer<R> | PreEncoded<RouteAnswer<R>>

export interface HandlerContext<R extends RouteDecl> {
  params: Parsed<R['params']>
  query: Parsed<R['query']>
  body: R['body'] extends 'stream' ? Readable : Parsed<R['body']>
  principal: Principal | undefined
  request: FastifyRequest
  reply: FastifyReply
}

export type Handler<R extends RouteDecl> = (ctx: HandlerContext<R>) => Promise<HandlerResult<R>>

/** One handler per route of the table: a missing one, or one that answers another shape, fails tsc. */
export type Handlers<T extends RouteTable> = { [NS in keyof T]: { [K in keyof T[NS]]: Handler<T[NS][K]> } }
