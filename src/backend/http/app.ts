import type { TLSSocket } from 'node:tls'
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import type { z } from 'zod'
import { describeIssues } from '../../shared/errors'
import { forbiddenReason, mayPerform } from '../../shared/fleet/roles'
import { routesOf, successStatuses, type RouteDecl, type RouteTable } from '../../shared/http/route'
import type { AuditLog } from '../audit'
import { asActor } from '../actor'
import { principalName, principalRole, type Principal, type Tokens } from '../auth/tokens'
import { HttpError } from './errors'
import { PreEncoded, type Handler, type Handlers } from './route'
import type { ServerTls } from '../tls/ca'
import type { DeviceCertificates } from '../pki/device-certificates'
import type { DeviceSessions } from '../pki/sessions'

interface AppDeps {
  tls: ServerTls
  tokens: Tokens
  certificates: DeviceCertificates
  sessions: DeviceSessions
  audit: AuditLog
  log: (line: string) => void
}

/** A person's or tool's bearer token, or else a vehicle's device certificate (mTLS), whose connection is then kept for a revocation to close. */
async function authenticate(request: FastifyRequest, deps: AppDeps, tracked: WeakSet<TLSSocket>): Promise<Principal> {
  const header = request.headers.authorization
  if (!header) {
    const socket = request.raw.socket as TLSSocket
    const id = await deps.certificates.identify(socket)
    if (!id) throw new HttpError(401, 'unauthorized', 'A bearer token (Authorization: Bearer …) or a device certificate is required')
    if ('refused' in id) throw new HttpError(401, 'unauthorized', `Refused: ${id.refused}`)
    if (!tracked.has(socket)) {
      tracked.add(socket)
      socket.once(
        'close',
        deps.sessions.add(id.serial, id.notAfter, () => socket.destroy())
      )
    }
    return id.principal
  }
  const token = /^Bearer (\S+)$/.exec(header)?.[1]
  const principal = token ? await deps.tokens.resolve(token) : undefined
  if (principal) return principal
  if (token && (await deps.tokens.isEnrolmentCredential(token))) {
    throw new HttpError(401, 'unauthorized', "This is a vehicle's enrolment credential: it buys one device certificate (POST /api/v1/device/enrol) and logs nothing in")
  }
  throw new HttpError(401, 'unauthorized', 'The bearer token is not valid')
}

/** Fastify over HTTPS with every route of the table: auth, role check, zod validation, audit. */
export function createApp<T extends RouteTable>(table: T, handlers: Handlers<T>, deps: AppDeps): FastifyInstance {
  // Client certificates are asked for but not required: people and tools use tokens.
  const app = Fastify({
    https: { cert: deps.tls.certPem, key: deps.tls.keyPem, ca: deps.tls.clientCaPem, requestCert: true, rejectUnauthorized: false, ecdhCurve: deps.tls.groups },
    logger: false,
    bodyLimit: 1024 * 1024,
    // The router's own refusals (a malformed URL, a path parameter over 100 characters) answer in
    // the API's error shape like every other refusal.
    frameworkErrors: (err: FastifyError, _request: FastifyRequest, reply: FastifyReply) =>
      reply.status(err.statusCode ?? 400).send({
        error: { code: 'bad-request', message: err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is longer than 100 characters' : err.message }
      })
  })
  const tracked = new WeakSet<TLSSocket>()
  // Firmware arrives as a stream and is hashed and sealed as it flows; never buffer it.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload))

  app.setErrorHandler((err, request, reply) => {
    if (err instanceof HttpError) return reply.status(err.status).send({ error: { code: err.code, message: err.message } })
    const status = (err as { statusCode?: number }).statusCode
    if (status && status < 500) {
      return reply.status(status).send({ error: { code: status === 413 ? 'too-large' : 'bad-request', message: (err as Error).message } })
    }
    deps.log(`${request.method} ${request.url} failed: ${(err as Error).stack ?? String(err)}`)
    return reply.status(500).send({ error: { code: 'internal', message: 'The backend failed on this request; its log has the details' } })
  })
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ error: { code: 'not-found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }))

  for (const { name, decl } of routesOf(table)) {
    const [ns, method] = name.split('.') as [string, string]
    const handler = (handlers as unknown as Record<string, Record<string, Handler<RouteDecl>>>)[ns]![method]!
    // A JSON route has one 2xx answer; its handler returns the body and the status comes from here.
    const status = successStatuses(decl)[0] ?? 200
    app.route({
      method: decl.method,
      url: decl.path,
      handler: async (request, reply) => {
        let principal: Principal | undefined
        const actionName = decl.auth === 'public' ? decl.path : decl.auth === 'device' ? `device ${decl.method} ${decl.path}` : decl.auth.action
        try {
          if (decl.auth !== 'public') {
            principal = await authenticate(request, deps, tracked)
            if (decl.auth === 'device' && principal.kind !== 'device') {
              throw new HttpError(403, 'forbidden', 'Only a vehicle identity may call this endpoint')
            }
            if (typeof decl.auth === 'object') {
              if (principal.kind === 'device') throw new HttpError(403, 'forbidden', `A vehicle may not ${decl.auth.action}`)
              if (!mayPerform(principal.role, decl.auth.action)) throw new HttpError(403, 'forbidden', forbiddenReason(principal.role, decl.auth.action))
            }
          }
          const parse = (schema: z.ZodType | undefined, value: unknown, where: string) => {
            if (!schema) return undefined
            const r = schema.safeParse(value)
            if (!r.success) throw new HttpError(400, 'bad-request', `Invalid ${where}: ${describeIssues(r.error)}`)
            return r.data
          }
          const stream = decl.body === 'stream'
          if (stream && request.headers['content-type'] !== 'application/octet-stream') {
            throw new HttpError(415 as number, 'bad-request', 'Send the file as application/octet-stream')
          }
          const input = {
            body: stream ? request.body : parse(decl.body as z.ZodType | undefined, request.body, 'body'),
            query: parse(decl.query, request.query, 'query'),
            params: parse(decl.params, request.params, 'path'),
            principal,
            request,
            reply
          }
          const who = principal ? { actor: principalName(principal), role: principalRole(principal) } : { actor: 'anonymous', role: 'none' }
          const out: unknown = await asActor(who, () => handler(input))
          if (out === reply) return reply
          reply.status(status)
          if (status === 204) return reply.send()
          if (out instanceof PreEncoded) return reply.header('content-type', 'application/json').send(out.json)
          return out
        } catch (err) {
          if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
            await deps.audit.record({
              actor: principal ? principalName(principal) : 'anonymous',
              role: principal ? principalRole(principal) : 'none',
              action: actionName,
              object: request.url.split('?')[0]!,
              outcome: 'denied',
              detail: err.message
            })
          }
          throw err
        }
      }
    })
  }
  return app
}
