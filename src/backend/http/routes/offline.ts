import type { Readable } from 'node:stream'
import { z } from 'zod'
import { ExportBundleRequest, RegisterWorkshop, ResultsImportReport, WorkshopRegistration, WorkshopView } from '../../../shared/bundle/api'
import { JobId } from '../../../shared/bundle/manifest'
import { ApiError } from '../../../shared/fleet/errors'
import { principalName } from '../../auth/tokens'
import { exportBundle, originOf } from '../../offline/bundle-export'
import { createOfflineService, type OfflineService } from '../../offline/offline-service'
import { publicView } from '../../offline/workshops'
import { importResults } from '../../offline/results-import'
import { HttpError } from '../errors'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const ById = z.object({ id: JobId })
const MAX_RESULTS_BYTES = 32 * 1024 * 1024

async function readCapped(body: Readable, max: number) {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of body) {
    size += (chunk as Buffer).length
    if (size > max) throw new HttpError(413, 'too-large', `A results file has at most ${max} bytes`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

/** Offline jobs: workshop consoles register, a job's vehicles leave in a signed bundle, results come back. */
export const offlineRoutes = (services: Services) => {
  // The route table is also built without services, for the docs; the service is made on first use.
  let made: OfflineService | undefined
  const offline = () => (made ??= createOfflineService(services))
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/offline/workshops',
      summary: "Register a workshop console's keys; answers the bundle signing key and TUF root it pins",
      tag: 'offline',
      auth: { action: 'workshop.register' },
      body: RegisterWorkshop,
      responses: { 201: WorkshopRegistration, 409: ApiError },
      handler: async ({ body, principal, reply }) => {
        const workshop = await audited(
          services.audit,
          principal,
          'workshop.register',
          body.name,
          () => offline().deps.workshops.register(body, principalName(principal!)),
          (w) => w.id
        )
        return reply.status(201).send({ workshop: publicView(workshop), trust: await offline().trust() })
      }
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/offline/workshops',
      summary: 'Registered workshop consoles, which bundles can be made for',
      tag: 'offline',
      auth: { action: 'offline.export' },
      responses: { 200: z.object({ workshops: z.array(WorkshopView) }) },
      handler: async () => ({ workshops: await offline().deps.workshops.list() })
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/offline-bundle',
      summary: "Export a job's queued vehicles as a signed offline bundle for one workshop; the engine leaves them to it",
      tag: 'offline',
      auth: { action: 'offline.export' },
      params: ById,
      body: ExportBundleRequest,
      responses: { 200: 'binary', 404: ApiError, 409: ApiError },
      handler: async ({ params, body, principal, request, reply }) => {
        const bundle = await audited(
          services.audit,
          principal,
          'offline.export',
          params.id,
          () => exportBundle(offline().deps, params.id, body, principalName(principal!), originOf(request.headers.host)),
          (b) => `${b.id}: ${b.vehicles} vehicles for workshop ${b.workshop}`
        )
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-length', bundle.size)
          .header('content-disposition', `attachment; filename="${bundle.id}.otab"`)
          .header('x-bundle-id', bundle.id)
          .send(bundle.file)
      }
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/jobs/:id/offline-results',
      summary: "Import a workshop's signed results file into the job's executions (idempotent)",
      tag: 'offline',
      auth: { action: 'offline.results' },
      params: ById,
      streamBody: true,
      responses: { 200: ResultsImportReport, 404: ApiError, 413: ApiError },
      handler: async ({ params, principal, request }) => {
        const bytes = await readCapped(request.body as Readable, MAX_RESULTS_BYTES)
        return audited(
          services.audit,
          principal,
          'offline.results',
          params.id,
          () => importResults(offline().deps, bytes, params.id, principalName(principal!)),
          (r) => `${r.bundleId}: ${r.applied} applied, ${r.unchanged} unchanged, ${r.refused.length} refused`
        )
      }
    })
  ]
}
