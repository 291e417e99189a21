import type { BackendApi } from '../../../shared/http/backend-api'
import type { Handlers } from '../route'
import { auditHandlers, identityHandlers, metaHandlers } from './admin'
import { releaseHandlers } from './catalog'
import { deviceHandlers } from './device'
import { diagHandlers } from './diag'
import { vehicleHandlers } from './fleet'
import { jobHandlers, modelHandlers } from './jobs'
import { keyHandlers } from './keys'
import { offlineHandlers } from './offline'
import { pkiHandlers } from './pki'
import { policyHandlers } from './policies'
import { releaseSetHandlers } from './release-sets'
import type { Services } from './services'
import { tufHandlers } from './tuf'

/** The handler of every route of BACKEND_API; the type makes tsc name any route left without one. */
export const handlers = (services: Services): Handlers<BackendApi> => ({
  meta: metaHandlers(services),
  identity: identityHandlers(services),
  audit: auditHandlers(services),
  releases: releaseHandlers(services),
  device: deviceHandlers(services),
  pki: pkiHandlers(services),
  vehicles: vehicleHandlers(services),
  tuf: tufHandlers(services),
  keys: keyHandlers(services),
  releaseSets: releaseSetHandlers(services),
  models: modelHandlers(services),
  jobs: jobHandlers(services),
  policies: policyHandlers(services),
  offline: offlineHandlers(services),
  diag: diagHandlers(services)
})
