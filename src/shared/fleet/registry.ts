import { z } from 'zod'
import { EcuId, ModelName, SemVer } from './catalog'
import { Vin } from './device'
import { TimeZone } from './time-zone'

export const EcuView = z.object({
  id: EcuId,
  logicalAddress: z.number().int(),
  zonalGateway: z.string(),
  hardware: z.string(),
  software: z.string(),
  /** Optional: backends from before VCI; null: the vehicle did not report one. */
  serial: z.string().nullable().optional()
})

export const VehicleView = z.object({
  vin: Vin,
  model: ModelName,
  region: z.string(),
  // Optional so a console still reads a backend from before zones, and its own cached pages.
  timeZone: TimeZone.optional(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeen: z.string().nullable()
})
export type VehicleView = z.infer<typeof VehicleView>

/** A vehicle's central gateway, as it last reported it; null until its first version report. */
export const GatewayView = z.object({ logicalAddress: z.number().int(), hardware: z.string(), software: z.string() })

export const VehicleDetail = VehicleView.extend({
  gateway: GatewayView.nullable(),
  ecus: z.array(EcuView),
  versionHistory: z.array(z.object({ ecu: z.string(), from: z.string().nullable(), to: z.string(), at: z.string() })),
  updateHistory: z.array(
    z.object({ releaseId: z.string(), ecu: z.string(), version: z.string(), step: z.string(), percent: z.number(), cause: z.string().nullable(), at: z.string() })
  ),
  /** The last time the backend refused the vehicle's device certificate, and why (expired, revoked, unknown). Optional for backends from before certificates. */
  lastRefusal: z.object({ reason: z.string(), at: z.string() }).nullable().optional(),
  /** The release channel it is on; null: none, so it is offered stable releases only. Optional for backends from before channels. */
  channel: z.string().nullable().optional()
})

export const VehicleQuery = z.object({
  model: ModelName.optional(),
  region: z.string().max(32).optional(),
  tag: z.string().max(32).optional(),
  online: z.enum(['true', 'false']).optional(),
  ecu: EcuId.optional(),
  version: SemVer.optional().describe('with ecu: vehicles whose ECU runs this version'),
  q: z.string().max(17).optional().describe('VIN prefix'),
  include: z.enum(['versions']).optional().describe("versions: each vehicle's software version by ECU (GATEWAY for its gateway)"),
  sort: z.enum(['vin', 'lastSeen', 'model', 'region']).default('vin'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})
export type VehicleQuery = z.infer<typeof VehicleQuery>

/** A vehicle in a list: with its versions by ECU when the query asked for them (include=versions). */
export const VehicleListItem = VehicleView.extend({ versions: z.record(z.string(), z.string()).optional() })
export type VehicleListItem = z.infer<typeof VehicleListItem>

export const VehiclePage = z.object({ vehicles: z.array(VehicleListItem), nextCursor: z.string().nullable() })
export type VehiclePage = z.infer<typeof VehiclePage>
export type VehicleDetail = z.infer<typeof VehicleDetail>
