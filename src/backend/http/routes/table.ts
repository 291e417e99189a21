import type { RouteSpec } from '../route'
import { adminRoutes, metaRoutes } from './admin'
import { catalogRoutes } from './catalog'
import { deviceRoutes } from './device'
import { diagRoutes } from './diag'
import { fleetRoutes } from './fleet'
import { jobRoutes } from './jobs'
import { offlineRoutes } from './offline'
import { policyRoutes } from './policies'
import type { Services } from './services'
import { tufRoutes } from './tuf'

/**
 * Every route of the HTTPS API. Handlers close over the services; the docs generator builds the
 * table without them, since it reads only the declarations and never calls a handler.
 */
export function routeTable(services: Services = {} as Services): RouteSpec[] {
  const routes: RouteSpec[] = []
  routes.push(
    ...metaRoutes(services, () => routes),
    ...catalogRoutes(services),
    ...deviceRoutes(services),
    ...adminRoutes(services),
    ...fleetRoutes(services),
    ...tufRoutes(services),
    ...jobRoutes(services),
    ...policyRoutes(services),
    ...offlineRoutes(services),
    ...diagRoutes(services)
  )
  return routes
}
