import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

/** How many vehicles of a model one compatibility answer evaluates when no VIN is given. */
const COMPATIBILITY_LIMIT = 500

export const releaseSetHandlers = ({ releaseSets, deployments, audit }: Services): Handlers<BackendApi>['releaseSets'] => ({
  list: async ({ query }) => ({ sets: await releaseSets.list(query) }),
  create: ({ body, principal }) =>
    audited(
      audit,
      principal,
      'release-set.create',
      `${body.model}/${body.name}/${body.version}`,
      () => releaseSets.create(body, principalName(principal!)),
      (s) => `${s.id}: ${s.members.map((m) => `${m.ecu} ${m.version}`).join(', ')}`
    ),
  get: ({ params }) => releaseSets.get(params.id),
  compatibility: async ({ params, query }) => {
    const set = await releaseSets.get(params.id)
    const vins = query.vin ? [query.vin] : await releaseSets.vinsOf(set.model, COMPATIBILITY_LIMIT)
    const judge = await releaseSets.evaluator(set)
    const vehicles = []
    for (const vin of vins) vehicles.push({ vin, compatibility: await judge(vin) })
    return { vehicles }
  },
  deploy: async ({ params, body, principal }) => {
    const set = await releaseSets.get(params.id)
    return audited(
      audit,
      principal,
      'release-set.deploy',
      set.id,
      () => deployments.deploy(set, body.vins, principalName(principal!)),
      (out) => out.deployments.map((d) => `${d.vin} ${d.state}`).join(', ')
    )
  },
  deployments: async ({ params }) => ({ deployments: await deployments.list((await releaseSets.get(params.id)).id) })
})
