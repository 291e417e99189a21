import type { Readable } from 'node:stream'
import type { WorkshopView } from '../../../shared/bundle/api'
import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import { exportBundle, originOf } from '../../offline/bundle-export'
import { createOfflineService, type OfflineService } from '../../offline/offline-service'
import { publicView } from '../../offline/workshops'
import { importResults } from '../../offline/results-import'
import { HttpError } from '../errors'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

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
export const offlineHandlers = (services: Services): Handlers<BackendApi>['offline'] => {
  // The route table is also built without services, for the docs; the service is made on first use.
  let made: OfflineService | undefined
  const offline = () => (made ??= createOfflineService(services))
  const withCertificate = async (w: Omit<WorkshopView, 'certificate'>): Promise<WorkshopView> => ({ ...w, certificate: await services.certificates.ofWorkshop(w.id) })
  return {
    registerWorkshop: async ({ body, principal }) => {
      const { workshop, certificate } = await audited(
        services.audit,
        principal,
        'workshop.register',
        body.name,
        async () => {
          const workshop = await offline().deps.workshops.register(body, principalName(principal!))
          // The certificate of its signing key: the first one, or a renewal of the current one.
          return { workshop, certificate: await services.certificates.enrolWorkshop(workshop.id, body.name, body.csrPem, body.signingKey.keyval.public, principal!) }
        },
        ({ workshop }) => workshop.id
      )
      return { workshop: await withCertificate(publicView(workshop)), trust: await offline().trust(), certificate }
    },
    workshops: async () => ({ workshops: await Promise.all((await offline().deps.workshops.list()).map(withCertificate)) }),
    exportBundle: async ({ params, body, principal, request, reply }) => {
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
    },
    importResults: async ({ params, principal, body }) => {
      const bytes = await readCapped(body, MAX_RESULTS_BYTES)
      return audited(
        services.audit,
        principal,
        'offline.results',
        params.id,
        () => importResults(offline().deps, bytes, params.id, principalName(principal!)),
        (r) => `${r.bundleId}: ${r.applied} applied, ${r.unchanged} unchanged, ${r.refused.length} refused`
      )
    }
  }
}
