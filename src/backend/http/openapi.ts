import { z } from 'zod'
import { ApiError } from '../../shared/fleet/errors'
import { PERMISSIONS } from '../../shared/fleet/roles'
import { routesOf, type RouteDecl, type RouteTable } from '../../shared/http/route'

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' })

const parameters = (spec: RouteDecl) => {
  const out: object[] = []
  for (const [where, s] of [
    ['path', spec.params],
    ['query', spec.query]
  ] as const) {
    if (!s) continue
    const json = schema(s) as { properties?: Record<string, object>; required?: string[] }
    for (const [name, prop] of Object.entries(json.properties ?? {})) {
      out.push({ name, in: where, required: where === 'path' || (json.required ?? []).includes(name), schema: prop })
    }
  }
  return out
}

/** OpenAPI 3.1, generated from the same route table (and zod schemas) the server runs. */
export function openApiDocument(table: RouteTable, version: string) {
  const paths: Record<string, Record<string, object>> = {}
  for (const { name, decl: spec } of routesOf(table)) {
    const path = spec.path.replace(/:(\w+)/g, '{$1}')
    const roles = spec.auth === 'public' || spec.auth === 'device' ? [] : PERMISSIONS[spec.auth.action]
    const who = spec.auth === 'public' ? 'No credential needed.' : spec.auth === 'device' ? "A vehicle's device certificate (mutual TLS)." : `Roles: ${roles.join(', ')}.`
    const binary = spec.mediaType ?? 'application/octet-stream'
    const responses: Record<string, object> = {}
    for (const [status, s] of Object.entries(spec.responses)) {
      // A 204 carries no body, so no media type.
      if (status === '204') {
        responses[status] = { description: 'No content' }
        continue
      }
      responses[status] = {
        description: Number(status) < 300 ? 'OK' : 'Error',
        content: s === 'binary' ? { [binary]: { schema: { type: 'string', contentMediaType: binary } } } : { 'application/json': { schema: schema(s) } }
      }
    }
    // What the app itself answers for every route (src/backend/http/app.ts), beside the route's own answers.
    const error = (description: string) => ({ description, content: { 'application/json': { schema: schema(ApiError) } } })
    if ((spec.body && spec.body !== 'stream') || spec.query || spec.params) responses['400'] ??= error('The request does not match its schema')
    // Fastify's router refuses a path parameter over 100 characters before any schema sees it.
    if (spec.params) responses['414'] = error('A path parameter is longer than 100 characters')
    if (spec.body === 'stream') responses['415'] = error('The body is not application/octet-stream')
    if (spec.auth !== 'public') {
      responses['401'] = error('No or unknown credential')
      responses['403'] = error('The credential may not do this')
    }
    ;(paths[path] ??= {})[spec.method.toLowerCase()] = {
      operationId: name,
      summary: spec.summary,
      description: who,
      'x-auth': spec.auth === 'public' || spec.auth === 'device' ? spec.auth : { action: spec.auth.action, roles },
      tags: [spec.tag],
      ...(spec.auth === 'public' ? { security: [] } : spec.auth === 'device' ? { security: [{ deviceCertificate: [] }] } : {}),
      parameters: parameters(spec),
      ...(spec.body === 'stream'
        ? { requestBody: { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } } }
        : spec.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: schema(spec.body) } } } }
          : {}),
      responses
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'OTA fleet backend', version },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        deviceCertificate: { type: 'mutualTLS', description: "a certificate of the backend's device CA (GET /pki/device-ca.crt)" }
      }
    },
    security: [{ bearer: [] }],
    paths
  }
}
