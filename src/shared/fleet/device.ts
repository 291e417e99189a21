import { z } from 'zod'
import { EcuId, ModelName, ReleaseId, SemVer, Sha256 } from './catalog'
import { TimeZone } from './time-zone'

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
    /** An EC P-256 public key (SPKI PEM): the backend's CA then issues the vehicle a client certificate for mTLS. */
    publicKeyPem: z
      .string()
      .max(4096)
      .regex(/-----BEGIN PUBLIC KEY-----/, 'not an SPKI public key PEM')
      .optional()
  })
  .strict()

/** Given once, at registration: the vehicle's token and its model's key for decrypting firmware. */
export const VehicleCredentials = z.object({
  vin: Vin,
  model: ModelName,
  token: z.string(),
  modelKey: z.string().describe('base64 AES-256 key of the vehicle model'),
  clientCertPem: z.string().optional().describe('the mTLS client certificate, when a public key was sent')
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
  targetPath: z.string().describe('the TUF target that signs sha256 and size')
})
export type OfferedUpdate = z.infer<typeof OfferedUpdate>

export const CheckUpdateAnswer = z.discriminatedUnion('status', [
  z.object({ status: z.literal('up-to-date') }),
  z.object({ status: z.literal('update-available'), updates: z.array(OfferedUpdate).min(1) })
])
export type CheckUpdateAnswer = z.infer<typeof CheckUpdateAnswer>
