import { z } from 'zod'
import { EcuId, ModelName, ReleaseId, SemVer, Sha256 } from './catalog'
import { TimeZone } from './time-zone'
import { KemPublicKey, WrappedDataKey } from '../data-key'

export const Vin = z.string().regex(/^[A-HJ-NPR-Z0-9]{17}$/, 'a VIN is 17 characters, letters (no I, O, Q) and digits')

export const RegisterVehicle = z
  .object({
    vin: Vin,
    model: ModelName,
    region: z.string().min(1).max(32),
    timeZone: TimeZone.optional().describe(
      "IANA time zone of the vehicle; without it, its region's default (eu Europe/Berlin, jp Asia/Tokyo, us America/New_York, cn Asia/Shanghai, else UTC)"
    ),
    tags: z.array(z.string().min(1).max(32)).max(32).default([]),
    kemPublicKey: KemPublicKey.describe("the vehicle gateway's X-Wing public key (X25519 + ML-KEM-768), made on the vehicle: every data key reaches it wrapped to this key")
  })
  .strict()

/**
 * Given once, at registration: the vehicle's one-time enrolment credential. It logs nothing in;
 * it buys the vehicle its first device certificate (POST /api/v1/device/enrol), which then does.
 */
export const VehicleCredentials = z.object({
  vin: Vin,
  model: ModelName,
  credential: z.string().describe('the one-time enrolment credential'),
  expiresAt: z.string().describe('when the enrolment credential stops working (ISO 8601)')
})

export const CheckUpdate = z
  .object({
    ecus: z
      .array(z.object({ ecu: EcuId, hardware: z.string().min(1).max(64), version: SemVer }).strict())
      .min(1)
      .max(200)
  })
  .strict()
export type CheckUpdate = z.infer<typeof CheckUpdate>

export const OfferedUpdate = z.object({
  releaseId: ReleaseId,
  ecu: EcuId,
  version: SemVer,
  url: z.string().describe('path of the encrypted artifact, relative to the backend URL'),
  sha256: Sha256.describe('sha256 of the bytes downloaded (sealed for this model)'),
  size: z.number().int(),
  targetPath: z.string().describe('the TUF target that signs sha256 and size'),
  delta: z
    .object({ from: z.string(), url: z.string(), size: z.number().int() })
    .optional()
    .describe("a delta from the version the vehicle reported; the target's signed custom.deltas names its bytes and source image"),
  dataKey: WrappedDataKey.describe("the release's data key, wrapped to this vehicle's X-Wing key and bound to its VIN and the release")
})
export type OfferedUpdate = z.infer<typeof OfferedUpdate>

export const CheckUpdateAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('up-to-date') }),
  z.object({ status: z.literal('update-available'), updates: z.array(OfferedUpdate).min(1) })
])
export type CheckUpdateAnswer = z.infer<typeof CheckUpdateAnswer>
