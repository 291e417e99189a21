import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

export const releaseHandlers = ({ catalog, audit, tuf }: Services): Handlers<BackendApi>['releases'] => ({
  upload: ({ body, principal }) =>
    audited(
      audit,
      principal,
      'artifact.upload',
      'artifact',
      () => catalog.upload(body, principalName(principal!)),
      (a) => `${a.sha256} ${a.size} bytes`
    ),
  create: ({ body, principal }) =>
    audited(
      audit,
      principal,
      'release.create',
      `${body.model}/${body.ecu}/${body.version}`,
      () => catalog.create(body, principalName(principal!)),
      (r) => r.id
    ),
  list: async ({ query }) => ({ releases: await catalog.list(query) }),
  get: ({ params }) => catalog.get(params.id),
  publish: async ({ params, principal }) => {
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
  },
  promote: ({ params, body, principal }) =>
    audited(
      audit,
      principal,
      'release.promote',
      params.id,
      () => catalog.promote(params.id, body.channel),
      (r) => `${r.model} ${r.ecu} ${r.version} now on ${r.channels.join(', ')}`
    ),
  withdraw: async ({ params, principal }) => {
    const out = await audited(audit, principal, 'release.withdraw', params.id, () => catalog.withdraw(params.id))
    await tuf.refreshTargets()
    return out
  }
})
