// Type tests of the HTTPS route table, checked by `npm run typecheck` (this file is in
// tsconfig.node.json): each @ts-expect-error line must stay an error, or tsc fails.
import { z } from 'zod'
import type { Handler, Handlers } from '../../src/backend/http/route'
import type { ReleaseView } from '../../src/shared/fleet/catalog'
import type { JobView } from '../../src/shared/fleet/jobs'
import type { BackendApi } from '../../src/shared/http/backend-api'
import type { ApiClient } from '../../src/shared/http/client'
import { route } from '../../src/shared/http/route'

declare const api: ApiClient<BackendApi>
declare const releases: Handlers<BackendApi>['releases']

// A declaration whose params schema does not name the path's parameters.
// @ts-expect-error the path has :vin, the schema has id
route({ method: 'GET', path: '/api/v1/vehicles/:vin', summary: '', tag: '', auth: 'public', params: z.object({ id: z.string() }), responses: {} })
// @ts-expect-error the path has a parameter and no params schema
route({ method: 'GET', path: '/api/v1/vehicles/:vin', summary: '', tag: '', auth: 'public', responses: {} })

// The backend: every route needs its handler, and the handler must answer the declared shape.
const { withdraw: _withdraw, ...withoutWithdraw } = releases
// @ts-expect-error releases.withdraw has no handler
export const missing: Handlers<BackendApi>['releases'] = withoutWithdraw
// @ts-expect-error releases.get answers a ReleaseView, not a job
export const wrongAnswer: Handler<BackendApi['releases']['get']> = async () => ({ id: 'job_0000000000000000', state: 'running' })
export const rightAnswer: Handler<BackendApi['releases']['get']> = releases.get

// The client: path parameters, bodies and answers are typed from the same declaration.
export async function clientTypes() {
  const published: ReleaseView = await api.releases.publish({ id: 'rel_000000000000' })
  // @ts-expect-error publish answers a release, not a job
  const job: JobView = await api.releases.publish({ id: 'rel_000000000000' })
  // @ts-expect-error publish needs the release id
  await api.releases.publish()
  // @ts-expect-error the parameter is id, not vin
  await api.releases.publish({ vin: 'WVWZZZ1JZXW000001' })
  // @ts-expect-error vins is a list
  await api.jobs.addVehicles({ id: 'job_0000000000000000' }, { vins: 'WVWZZZ1JZXW000001' })
  // @ts-expect-error no route is called releases.delete
  await api.releases.delete({ id: 'rel_000000000000' })
  return { published, job }
}
