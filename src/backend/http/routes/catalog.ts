import type { Readable } from 'node:stream'
import { z } from 'zod'
import { ArtifactView, CreateRelease, ReleaseId, ReleaseQuery, ReleaseView } from '../../../shared/fleet/catalog'
import { ApiError } from '../../../shared/fleet/errors'
import { principalName } from '../../auth/tokens'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const ById = z.object({ id: ReleaseId })

export const catalogRoutes = ({ catalog, audit, tuf }: Services) => [
  defineRoute({
    method: 'POST',
    url: '/api/v1/artifacts',
    summary: 'Upload a firmware image (streamed; hashed and encrypted at rest as it arrives)',
    tag: 'catalog',
    auth: { action: 'artifact.upload' },
    streamBody: true,
    responses: { 201: ArtifactView, 413: ApiError },
    handler: async ({ request, principal, reply }) => {
      const out = await audited(
        audit,
        principal,
        'artifact.upload',
        'artifact',
        () => catalog.upload(request.body as Readable, principalName(principal!)),
        (a) => `${a.sha256} ${a.size} bytes`
      )
      return reply.status(201).send(out)
    }
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/releases',
    summary: 'Create a release of an uploaded artifact for a model and ECU',
    tag: 'catalog',
    auth: { action: 'release.create' },
    body: CreateRelease,
    responses: { 201: ReleaseView, 404: ApiError, 409: ApiError },
    handler: async ({ body, principal, reply }) => {
      const out = await audited(
        audit,
        principal,
        'release.create',
        `${body.model}/${body.ecu}/${body.version}`,
        () => catalog.create(body, principalName(principal!)),
        (r) => r.id
      )
      return reply.status(201).send(out)
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/releases',
    summary: 'List releases, by model, ECU and publication',
    tag: 'catalog',
    auth: { action: 'release.read' },
    query: ReleaseQuery,
    responses: { 200: z.object({ releases: z.array(ReleaseView) }) },
    handler: async ({ query }) => ({ releases: await catalog.list(query) })
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/releases/:id',
    summary: 'One release',
    tag: 'catalog',
    auth: { action: 'release.read' },
    params: ById,
    responses: { 200: ReleaseView, 404: ApiError },
    handler: async ({ params }) => catalog.get(params.id)
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/releases/:id/publish',
    summary: "Publish a release to its model's channel (re-encrypted with that model's key)",
    tag: 'catalog',
    auth: { action: 'release.publish' },
    params: ById,
    responses: { 200: ReleaseView, 404: ApiError, 409: ApiError },
    handler: async ({ params, principal }) => {
      const out = await audited(
        audit,
        principal,
        'release.publish',
        params.id,
        () => catalog.publish(params.id, principalName(principal!)),
        (r) => `${r.model} ${r.ecu} ${r.version}`
      )
      await tuf.refreshTargets()
      return out
    }
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/releases/:id/withdraw',
    summary: "Take a release out of its model's channel",
    tag: 'catalog',
    auth: { action: 'release.withdraw' },
    params: ById,
    responses: { 200: ReleaseView, 404: ApiError },
    handler: async ({ params, principal }) => {
      const out = await audited(audit, principal, 'release.withdraw', params.id, () => catalog.withdraw(params.id))
      await tuf.refreshTargets()
      return out
    }
  })
]
