import { z } from 'zod'
import { Channel, EcuId, ModelName, SemVer } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { VehicleDetail } from '../fleet/registry'
import { UpdateEvidence } from '../fleet/evidence'
import { VciHistory } from '../fleet/release-sets'
import { FleetRollup } from '../protocol/messages'
import { call } from './call'
import { savedView, ViewId, ViewName } from './saved-view'

/** What the fleet table narrows to; every filter is optional and they combine with AND. */
export const FleetFilters = z
  .object({
    /** A VIN prefix, in any case. */
    q: z.string().trim().toUpperCase().max(17).optional(),
    model: ModelName.optional(),
    region: z.string().min(1).max(32).optional(),
    tag: z.string().min(1).max(32).optional(),
    online: z.boolean().optional(),
    /** Alone: vehicles that have this ECU; with version: those whose ECU runs it. */
    ecu: EcuId.optional(),
    version: SemVer.optional()
  })
  .strict()
  .refine((f) => !f.version || f.ecu, { message: 'a version filter needs its ECU', path: ['ecu'] })
export type FleetFilters = z.infer<typeof FleetFilters>

export const FleetSort = z.enum(['vin', 'model', 'region', 'online', 'lastSeen'])
export type FleetSort = z.infer<typeof FleetSort>
export const SortOrder = z.enum(['asc', 'desc'])
export type SortOrder = z.infer<typeof SortOrder>

/** Filters and sort: what a saved view keeps. */
export const FleetQuery = z.object({ filters: FleetFilters.default({}), sort: FleetSort.default('vin'), order: SortOrder.default('asc') }).strict()
export type FleetQuery = z.infer<typeof FleetQuery>

/** Rows a table asks for at a time: what is visible plus a little either side. */
export const MAX_WINDOW = 500

export const FleetRow = z.object({
  vin: Vin,
  model: z.string(),
  region: z.string(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeen: z.string().nullable(),
  /** Software version by ECU id (GATEWAY for the gateway). */
  versions: z.record(z.string(), z.string())
})
export type FleetRow = z.infer<typeof FleetRow>

/** Rows offset … offset + rows.length of the filtered, sorted fleet, from the console's copy. */
export const FleetWindow = z.object({
  total: z.number().int(),
  offset: z.number().int(),
  rows: z.array(FleetRow),
  syncedAt: z.string().nullable(),
  /** The copy may be behind the backend: the last sync failed or the backend is unreachable. */
  stale: z.boolean()
})
export type FleetWindow = z.infer<typeof FleetWindow>

const Count = z.object({ value: z.string(), count: z.number().int() })
export const FleetFacets = z.object({
  total: z.number().int(),
  online: z.number().int(),
  models: z.array(Count),
  regions: z.array(Count),
  tags: z.array(Count),
  ecus: z.array(z.object({ ecu: z.string(), versions: z.array(Count) }))
})
export type FleetFacets = z.infer<typeof FleetFacets>

/** Where the console's copy of the active profile's fleet stands. */
export const FleetSyncStatus = z.object({
  profileId: z.string().nullable(),
  state: z.enum(['idle', 'syncing', 'failed']),
  /** Vehicles fetched so far in the running sync, of `expected` (the backend's count when it started). */
  fetched: z.number().int(),
  expected: z.number().int().nullable(),
  syncedAt: z.string().nullable(),
  stale: z.boolean(),
  message: z.string().nullable()
})
export type FleetSyncStatus = z.infer<typeof FleetSyncStatus>

export const SavedView = savedView(FleetQuery)
export type SavedView = z.infer<typeof SavedView>

export const VehiclePageData = z.object({ vehicle: VehicleDetail, stale: z.boolean(), fetchedAt: z.string() })
export type VehiclePageData = z.infer<typeof VehiclePageData>

export const fleetCalls = {
  'fleet.status': call(z.void(), FleetSyncStatus),
  /** Copies the active profile's fleet from its backend; answers when the copy is complete. */
  'fleet.sync': call(z.void(), FleetSyncStatus),
  'fleet.window': call(FleetQuery.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(MAX_WINDOW) }).strict(), FleetWindow),
  'fleet.facets': call(z.void(), FleetFacets),
  'fleet.vehicle': call(z.object({ vin: Vin }).strict(), VehiclePageData),
  /** The vehicle's update record as one document the backend signed, to hand to an auditor. */
  'fleet.evidence': call(z.object({ vin: Vin }).strict(), UpdateEvidence),
  /** The vehicle's configuration (VCI) over time, a snapshot for each change, newest first. */
  'fleet.vci': call(z.object({ vin: Vin }).strict(), VciHistory),
  /** Puts the vehicle on a release channel (null: none, stable releases only); answers its page again. */
  'fleet.setChannel': call(z.object({ vin: Vin, channel: Channel.nullable() }).strict(), VehiclePageData),
  'fleet.views': call(z.void(), z.object({ views: z.array(SavedView) })),
  /** Saves a view under a name; a view of the same name is replaced. */
  'fleet.saveView': call(z.object({ name: ViewName, query: FleetQuery }).strict(), SavedView),
  'fleet.deleteView': call(z.object({ id: ViewId }).strict(), z.void())
}

export const fleetEvents = {
  /** Fleet counts (total, online, by model) as the backend publishes them live. */
  'fleet.summary': FleetRollup,
  /** The console's copy of the fleet changed: a sync progressed, finished or failed. */
  'fleet.changed': FleetSyncStatus
}
