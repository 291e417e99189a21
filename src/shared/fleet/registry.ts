import { z } from 'zod'
import { EcuId, ModelName, SemVer } from './catalog'
import { Vin } from './device'

export const EcuView = z.object({
  id: EcuId,
  logicalAddress: z.number().int(),
  zonalGateway: z.string(),
  hardware: z.string(),
  software: z.string()
})

export const VehicleView = z.object({
  vin: Vin,
  model: ModelName,
  region: z.string(),
  tags: z.array(z.string()),
  online: z.boolean(),
  lastSeen: z.string().nullable()
})
export type VehicleView = z.infer<typeof VehicleView>

export const VehicleDetail = VehicleView.extend({
  ecus: z.array(EcuView),
  versionHistory: z.array(z.object({ ecu: z.string(), from: z.string().nullable(), to: z.string(), at: z.string() })),
  updateHistory: z.array(z.object({ releaseId: z.string(), ecu: z.string(), version: z.string(), step: z.string(), percent: z.number(), cause: z.string().nullable(), at: z.string() }))
})

export const VehicleQuery = z.object({
  model: ModelName.optional(),
  region: z.string().max(32).optional(),
  tag: z.string().max(32).optional(),
  online: z.enum(['true', 'false']).optional(),
  ecu: EcuId.optional(),
  version: SemVer.optional().describe('with ecu: vehicles whose ECU runs this version'),
  q: z.string().max(17).optional().describe('VIN prefix'),
  sort: z.enum(['vin', 'lastSeen', 'model', 'region']).default('vin'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})
export type VehicleQuery = z.infer<typeof VehicleQuery>

export const VehiclePage = z.object({ vehicles: z.array(VehicleView), nextCursor: z.string().nullable() })
