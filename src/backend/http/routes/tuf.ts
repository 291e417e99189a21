import { createReadStream } from 'node:fs'
import { z } from 'zod'
import { EcuId, ModelName } from '../../../shared/fleet/catalog'
import { ApiError } from '../../../shared/fleet/errors'
import { TufKey } from '../../../shared/tuf/metadata'
import { HttpError, notFound } from '../errors'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

export const tufRoutes = ({ tuf, catalog, audit }: Services) => [
  defineRoute({
    method: 'GET',
    url: '/tuf/:file',
    summary: 'TUF metadata: N.root.json, timestamp.json, N.snapshot.json, N.targets.json',
    tag: 'tuf',
    auth: 'public',
    params: z.object({ file: z.string().max(64) }),
    responses: { 200: z.object({ signed: z.unknown(), signatures: z.array(z.unknown()) }), 404: ApiError },
    handler: async ({ params, reply }) => {
      const json = await tuf.file(params.file)
      if (!json) throw notFound(`TUF metadata ${params.file}`)
      return reply.header('content-type', 'application/json').header('cache-control', 'no-store').send(json)
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/tuf/targets/:model/:ecu/:file',
    summary: 'A target file (consistent snapshot name HASH.VERSION.bin), for vehicles of that model',
    tag: 'tuf',
    auth: 'device',
    params: z.object({ model: ModelName, ecu: EcuId, file: z.string().regex(/^[0-9a-f]{64}\.[\w.+-]+\.bin$/) }),
    responses: { 200: 'binary', 404: ApiError },
    handler: async ({ params, principal, reply }) => {
      if (principal?.kind !== 'device' || principal.model !== params.model) throw notFound(`target in the ${params.model} channel`)
      const [sha256, ...rest] = params.file.split('.')
      const version = rest.slice(0, -1).join('.')
      const release = (await catalog.list({ model: params.model, ecu: params.ecu, published: 'true' })).find((r) => r.version === version)
      const blob = release && (await catalog.publishedBlob(release.id, principal.model))
      if (!blob || blob.sha256 !== sha256) throw notFound(`target ${params.model}/${params.ecu}/${params.file}`)
      return reply.header('content-type', 'application/octet-stream').header('content-length', blob.size).send(createReadStream(blob.path))
    }
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tuf/pq-key',
    summary: 'The ML-DSA-65 public key that signs targets (hybrid with ed25519)',
    tag: 'tuf',
    auth: 'public',
    responses: { 200: z.object({ keyid: z.string(), publicKey: z.string() }) },
    handler: async () => tuf.pqPublicKey()
  }),
  defineRoute({
    method: 'GET',
    url: '/api/v1/tuf/targets-draft',
    summary: 'The next targets metadata, unsigned, for a signer that keeps the targets key',
    tag: 'tuf',
    auth: { action: 'release.sign' },
    responses: { 200: z.object({ _type: z.literal('targets') }).loose() },
    handler: async () => tuf.draftTargets()
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tuf/targets',
    summary: "Submit targets metadata signed by root's targets key; snapshot and timestamp follow",
    tag: 'tuf',
    auth: { action: 'release.sign' },
    body: z.unknown(),
    responses: { 200: z.object({ version: z.number() }) },
    handler: async ({ body, principal }) => ({
      version: await audited(
        audit,
        principal,
        'release.sign',
        'targets.json',
        () => tuf.acceptTargets(body),
        (v) => `version ${v}`
      )
    })
  }),
  defineRoute({
    method: 'POST',
    url: '/api/v1/tuf/rotate',
    summary: 'Rotate a role key through a new root version (optionally to an outside targets key)',
    tag: 'tuf',
    auth: { action: 'tuf.rotate' },
    body: z.object({ role: z.enum(['root', 'targets', 'snapshot', 'timestamp']), targetsKey: TufKey.optional() }).strict(),
    responses: { 200: z.object({ rootVersion: z.number() }) },
    handler: async ({ body, principal }) => {
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
]
