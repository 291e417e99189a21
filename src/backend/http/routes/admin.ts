import { z } from 'zod'
import { AuditActions, AuditPage, AuditQuery } from '../../../shared/fleet/audit'
import { Identity, Role } from '../../../shared/fleet/roles'
import { principalName, principalRole } from '../../auth/tokens'
import { openApiDocument } from '../openapi'
import { defineRoute } from '../route'
import type { RouteSpec } from '../route'
import { audited, type Services } from './services'

export const adminRoutes = ({ tokens, audit }: Services) => [
  defineRoute({
    method: 'POST',
    url: '/api/v1/tokens',
    summary: 'Create an API token for a person or a tool, with one role',
    tag: 'admin',
    auth: { action: 'token.create' },
    body: z.object({ name: z.string().min(1).max(100), role: Role }).strict(),
    responses: { 201: z.object({ name: z.string(), role: Role, token: z.string() }) },
    handler: async ({ body, principal, reply }) => {
      const token = await audited(
        audit,
        principal,
        'token.create',
        body.name,
        () => tokens.createUser(body.name, body.role),
        () => `role ${body.role}`
      )
      return reply.status(201).send({ ...body, token })
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/me',
    summary: 'Who the caller is, and the role the console uses to enable what it may do',
    tag: 'admin',
    auth: { action: 'identity.read' },
    responses: { 200: Identity },
    handler: async ({ principal }) => ({ name: principalName(principal!), role: principalRole(principal!) as Role })
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit',
    summary: 'The audit log, newest first, filtered (text, actor, action, outcome, time) and cursor-paged',
    tag: 'admin',
    auth: { action: 'audit.read' },
    query: AuditQuery,
    responses: { 200: AuditPage },
    handler: async ({ query }) => audit.query(query)
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/audit/actions',
    summary: 'The action names the audit log holds, for filtering by one',
    tag: 'admin',
    auth: { action: 'audit.read' },
    responses: { 200: AuditActions },
    handler: async () => audit.actions()
  })
]

export const metaRoutes = (services: Services, all: () => readonly RouteSpec[]) => [
  defineRoute({
    method: 'GET',
    url: '/',
    summary: 'What this server is, and where its API is described',
    tag: 'meta',
    auth: 'public',
    responses: { 200: z.object({ name: z.string(), version: z.string(), openapi: z.string(), tuf: z.string() }) },
    handler: async () => ({ name: 'OTA fleet backend', version: services.version, openapi: '/openapi.json', tuf: '/tuf/' })
  }),
  defineRoute({
    method: 'GET',
    url: '/health',
    summary: 'Liveness',
    tag: 'meta',
    auth: 'public',
    responses: { 200: z.object({ ok: z.literal(true), version: z.string() }) },
    handler: async () => ({ ok: true, version: services.version })
  }),
  defineRoute({
    method: 'GET',
    url: '/openapi.json',
    summary: 'This API, as OpenAPI 3.1',
    tag: 'meta',
    auth: 'public',
    responses: { 200: z.object({ openapi: z.string() }).loose() },
    handler: async () => openApiDocument(all(), services.version)
  })
]
