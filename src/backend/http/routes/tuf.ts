import type { BackendApi } from '../../../shared/http/backend-api'
import { HttpError, notFound } from '../errors'
import { PreEncoded, type Handlers } from '../route'
import { audited, type Services } from './services'

export const tufHandlers = ({ tuf, catalog, audit }: Services): Handlers<BackendApi>['tuf'] => ({
  metadata: async ({ params, reply }) => {
    const json = await tuf.file(params.file)
    if (!json) throw notFound(`TUF metadata ${params.file}`)
    reply.header('cache-control', 'no-store')
    return new PreEncoded(json)
  },
  target: async ({ params, principal, reply }) => {
    if (principal?.kind !== 'device' || principal.model !== params.model) throw notFound(`target in the ${params.model} channel`)
    const [sha256, ...rest] = params.file.split('.')
    const version = rest.slice(0, -1).join('.')
    const release = (await catalog.list({ model: params.model, ecu: params.ecu, published: 'true' })).find((r) => r.version === version)
    const blob = release && (await catalog.publishedBlob(release.id, principal.model))
    if (!blob || blob.sha256 !== sha256) throw notFound(`target ${params.model}/${params.ecu}/${params.file}`)
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', blob.size)
      .send(await blob.open())
  },
  pqKey: async () => tuf.pqPublicKey(),
  targetsDraft: () => tuf.draftTargets(),
  signingState: () => tuf.signingState(),
  submitTargets: async ({ body, principal }) => ({
    version: await audited(
      audit,
      principal,
      'release.sign',
      'targets.json',
      () => tuf.acceptTargets(body),
      (v) => `version ${v}`
    )
  }),
  rotate: async ({ body, principal }) => {
    if (body.targetsKey && body.role !== 'targets') throw new HttpError(400, 'bad-request', 'targetsKey goes with role "targets"')
    return {
      rootVersion: await audited(
        audit,
        principal,
        'tuf.rotate',
        body.role,
        () => tuf.rotate(body.role, body.targetsKey),
        (v) => `root version ${v}`
      )
    }
  }
})
