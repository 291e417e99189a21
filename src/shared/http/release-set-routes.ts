import { z } from 'zod'
import { ModelName } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { ApiError } from '../fleet/errors'
import { CreateReleaseSet, DeploymentView, ReleaseSetId, ReleaseSetView, VehicleCompatibility } from '../fleet/release-sets'
import { route } from './route'

const BySet = z.object({ id: ReleaseSetId })

/** The `releaseSets` namespace of BACKEND_API: multi-ECU releases, their fit per vehicle, and their deployments. */
export const RELEASE_SET_ROUTES = {
  list: route({
    method: 'GET',
    path: '/api/v1/release-sets',
    summary: 'Release sets (the images of several ECUs that install together), newest first',
    tag: 'releases',
    auth: { action: 'release.read' },
    query: z.object({ model: ModelName.optional() }),
    responses: { 200: z.object({ sets: z.array(ReleaseSetView) }) }
  }),
  create: route({
    method: 'POST',
    path: '/api/v1/release-sets',
    summary: 'Make a release set from published releases of one model: each with the ECUs it installs after, and the versions other ECUs must run',
    tag: 'releases',
    auth: { action: 'release.create' },
    body: CreateReleaseSet,
    responses: { 201: ReleaseSetView, 400: ApiError, 404: ApiError, 409: ApiError }
  }),
  get: route({
    method: 'GET',
    path: '/api/v1/release-sets/:id',
    summary: 'One release set',
    tag: 'releases',
    auth: { action: 'release.read' },
    params: BySet,
    responses: { 200: ReleaseSetView, 404: ApiError }
  }),
  compatibility: route({
    method: 'GET',
    path: '/api/v1/release-sets/:id/compatibility',
    summary: "The set against each vehicle's configuration now (one vehicle, or the model's first 500): what blocks it, or its package per zonal gateway",
    tag: 'releases',
    auth: { action: 'vehicle.read' },
    params: BySet,
    query: z.object({ vin: Vin.optional() }),
    responses: { 200: z.object({ vehicles: z.array(VehicleCompatibility) }), 404: ApiError }
  }),
  deploy: route({
    method: 'POST',
    path: '/api/v1/release-sets/:id/deployments',
    summary: 'Send the set to vehicles: each it fits gets one package per zonal gateway; each it does not is recorded as blocked, with why',
    tag: 'releases',
    auth: { action: 'job.create' },
    params: BySet,
    body: z.object({ vins: z.array(Vin).min(1).max(500) }).strict(),
    responses: { 201: z.object({ deployments: z.array(DeploymentView) }), 404: ApiError }
  }),
  deployments: route({
    method: 'GET',
    path: '/api/v1/release-sets/:id/deployments',
    summary: "The set's deployments, newest first: state, each ECU's state, and the ECU that failed and why",
    tag: 'releases',
    auth: { action: 'job.read' },
    params: BySet,
    responses: { 200: z.object({ deployments: z.array(DeploymentView) }), 404: ApiError }
  })
}
