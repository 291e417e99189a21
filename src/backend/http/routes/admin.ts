import { HttpError } from '../errors'
import type { BackendApi } from '../../../shared/http/backend-api'
import type { Role } from '../../../shared/fleet/roles'
import { BACKEND_API } from '../../../shared/http/backend-api'
import { principalName, principalRole } from '../../auth/tokens'
import { openApiDocument } from '../openapi'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

type H = Handlers<BackendApi>

export const identityHandlers = ({ tokens, audit }: Services): H['identity'] => ({
  me: async ({ principal }) => ({ name: principalName(principal!), role: principalRole(principal!) as Role }),
  createToken: async ({ body, principal }) => {
    const token = await audited(
      audit,
      principal,
      'token.create',
      body.name,
      () => tokens.createUser(body.name, body.role),
      () => `role ${body.role}`
    )
    return { ...body, token }
  }
})

export const auditHandlers = ({ audit }: Services): H['audit'] => ({
  query: ({ query }) => audit.query(query),
  actions: () => audit.actions()
})

export const metaHandlers = ({ version, readiness }: Services): H['meta'] => ({
  info: async () => ({ name: 'OTA fleet backend', version, openapi: '/openapi.json', tuf: '/tuf/' }),
  health: async () => ({ ok: true, version }),
  ready: async () => {
    const notReady = await readiness()
    if (notReady) throw new HttpError(503, 'not-ready', notReady)
    return { ready: true as const, version }
  },
  openapi: async () => openApiDocument(BACKEND_API, version)
})
