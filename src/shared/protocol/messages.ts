import { z } from 'zod'
import { FLASH_PHASES } from '../uds-client'
import { EcuId, ModelName, ReleaseId, SemVer } from '../fleet/catalog'
import { OfferedUpdate, Vin } from '../fleet/device'
import { Blocker, DeploymentId, EcuInstallState, ReleaseSetId } from '../fleet/release-sets'

const At = z.iso.datetime()
const Hex = z.string().regex(/^([0-9a-f]{2})*$/i, 'hex bytes')

export const Presence = z.object({ online: z.boolean(), at: At.optional() })

export const EcuReport = z.object({
  id: EcuId,
  logicalAddress: z.number().int().min(0).max(0xffff),
  hardware: z.string().min(1).max(64),
  software: SemVer,
  /** The ECU's serial number; optional for vehicles from before VCI. */
  serial: z.string().min(1).max(40).optional()
})
export type EcuReport = z.infer<typeof EcuReport>

/** The vehicle's configuration: gateway → zonal gateways → ECUs, with versions. */
export const VersionReport = z.object({
  vin: Vin,
  model: ModelName,
  gateway: z.object({ logicalAddress: z.number().int(), hardware: z.string(), software: SemVer, serial: z.string().min(1).max(40).optional() }),
  zonalGateways: z.array(z.object({ id: z.string().regex(/^ZGW_\d{2}$/), logicalAddress: z.number().int(), ecus: z.array(EcuReport).max(200) })).max(16),
  at: At
})
export type VersionReport = z.infer<typeof VersionReport>

export const UpdateNotify = z.object({
  releaseId: ReleaseId,
  ecu: EcuId,
  version: SemVer,
  /**
   * check-update: ask the backend now. forced: install this offer now. soft: ask the driver
   * first (they may refuse). download-only: download and verify, install later on command.
   * cancel: stop this job's install when it safely can.
   */
  action: z.enum(['check-update', 'forced', 'soft', 'download-only', 'cancel']),
  jobId: z.string().max(64).optional(),
  offer: OfferedUpdate.optional(),
  at: At
})
export type UpdateNotify = z.infer<typeof UpdateNotify>

/** deferred: the driver postponed a soft update until deferUntil; it is offered again then. */
export const UpdateStep = z.enum(['accepted', 'rejected', 'deferred', 'downloading', 'verifying', 'decompressing', 'installing', 'rebooting', 'done', 'failed', 'canceled'])
export const FailureCause = z.enum([
  'download-interrupted',
  'hash-mismatch',
  'signature-invalid',
  'metadata-expired',
  'rollback-refused',
  'install-error',
  'consent-refused',
  'low-battery',
  'decryption-failed',
  // After the install, in the job's health window: the vehicle's own checks, reported with step failed.
  'self-test-failed',
  'rolled-back',
  'new-dtc',
  // The backend's verdict: offline at the end of the health window, never back since the install.
  'offline-after-install'
])
export type FailureCause = z.infer<typeof FailureCause>

export const UpdateProgress = z.object({
  /** Set when the update belongs to a job. */
  jobId: z.string().max(64).optional(),
  releaseId: ReleaseId,
  ecu: EcuId,
  version: SemVer,
  step: UpdateStep,
  percent: z.number().min(0).max(100),
  cause: FailureCause.optional(),
  detail: z.string().max(500).optional(),
  /** With step done: how the image came (a delta, the full image, or the full image after a delta failed) and the bytes downloaded. */
  delivery: z.enum(['full', 'delta', 'delta-fallback']).optional(),
  downloadedBytes: z.number().int().nonnegative().optional(),
  /** With step deferred: when the driver wants to be asked again (at most a week ahead). */
  deferUntil: At.optional(),
  at: At
})
export type UpdateProgress = z.infer<typeof UpdateProgress>

/**
 * A release set for this vehicle, assembled per zonal gateway: the gateway hands each zone its
 * package, the zones install in parallel, each ECU after those in its `after`. The vehicle checks
 * `requires` against its own configuration first; each image is verified by TUF as any update.
 */
export const UpdatePackage = z.object({
  deploymentId: DeploymentId,
  setId: ReleaseSetId,
  name: z.string().max(64),
  version: SemVer,
  requires: z.array(z.object({ ecu: EcuId, range: z.string().max(64) })).max(32),
  zones: z
    .array(z.object({ zone: z.string().max(16), steps: z.array(z.object({ offer: OfferedUpdate, after: z.array(EcuId).max(32) })).max(32) }))
    .max(16)
    .refine((zones) => zones.reduce((n, z) => n + z.steps.length, 0) <= 32, 'a package holds at most 32 ECU images, as a release set does'),
  at: At
})
export type UpdatePackage = z.infer<typeof UpdatePackage>

/** A package's state on the vehicle: each ECU's, and, when one failed, which and why (then every ECU of it is rolled back). */
export const PackageProgress = z.object({
  deploymentId: DeploymentId,
  state: z.enum(['installing', 'succeeded', 'rolled-back', 'blocked']),
  ecus: z.array(z.object({ ecu: EcuId, state: EcuInstallState })).max(32),
  failed: z.object({ ecu: EcuId, cause: FailureCause, detail: z.string().max(500) }).optional(),
  blockers: z.array(Blocker).max(32).optional(),
  at: At
})
export type PackageProgress = z.infer<typeof PackageProgress>

/** A UDS request relayed through the vehicle gateway to one ECU, and its answer. */
export const DiagRequest = z.object({
  correlationId: z.string().min(1).max(64),
  targetAddress: z.number().int().min(0).max(0xffff),
  uds: Hex.min(2).max(8192),
  timeoutMs: z.number().int().min(50).max(60_000).default(2000)
})
export const DiagResponse = z.object({
  correlationId: z.string().min(1).max(64),
  sourceAddress: z.number().int().min(0).max(0xffff),
  uds: Hex.optional(),
  error: z.string().max(300).optional()
})

const CorrelationId = z.string().min(1).max(64)

/**
 * A remote flash of one ECU. The gateway does not take image bytes over MQTT: it downloads the
 * offered release with its own credentials, verifies it with TUF as for an OTA update, and runs
 * the flash sequence against the ECU locally. `abort` stops a running one at the next block.
 */
export const FlashRequest = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('start'),
    correlationId: CorrelationId,
    targetAddress: z.number().int().min(0).max(0xffff),
    ecu: EcuId,
    offer: OfferedUpdate,
    /** The odd requestSeed level of security access. */
    securityLevel: z.number().int().min(1).max(0x7d).default(1),
    /** A request that reaches a vehicle later (it was offline) is not started. */
    expiresAt: At,
    at: At
  }),
  z.object({ action: z.literal('abort'), correlationId: CorrelationId, at: At })
])
export type FlashRequest = z.infer<typeof FlashRequest>

/** An operator asks the vehicle to renew its device certificate now (a new key, over mTLS). */
export const CertificateRenew = z.object({ serial: z.string().max(40).describe('the certificate to replace'), at: At })

export const FlashState = z.enum(['running', 'succeeded', 'failed', 'aborted'])

/** The gateway's reports of a remote flash: each step, transfer progress a few times a second, and the end. */
export const FlashProgressReport = z.object({
  correlationId: CorrelationId,
  state: FlashState,
  /** verify: downloading and verifying the image; then the steps of the flash sequence. */
  step: z.enum(FLASH_PHASES),
  bytesSent: z.number().int().min(0),
  bytesTotal: z.number().int().min(0),
  blocksSent: z.number().int().min(0),
  bytesPerSecond: z.number().min(0),
  etaSeconds: z.number().min(0).nullable(),
  elapsedMs: z.number().min(0),
  detail: z.string().max(500).optional(),
  versionBefore: z.string().max(64).nullable().optional(),
  versionAfter: z.string().max(64).optional(),
  at: At
})
export type FlashProgressReport = z.infer<typeof FlashProgressReport>

/** What a console receives: compact fleet rollups, never each vehicle's topics. */
export const FleetRollup = z.object({
  total: z.number().int(),
  online: z.number().int(),
  byModel: z.record(z.string(), z.object({ total: z.number().int(), online: z.number().int() })),
  at: At
})
export type FleetRollup = z.infer<typeof FleetRollup>

/** A job's progress for consoles: counts by state, by wave and by failure cause, rate and ETA. */
export const JobRollup = z.object({
  jobId: z.string(),
  state: z.string(),
  reason: z.string().nullable(),
  currentWave: z.number().int(),
  counts: z.record(z.string(), z.number().int()),
  waves: z.array(z.object({ wave: z.number().int(), size: z.number().int(), counts: z.record(z.string(), z.number().int()) })),
  failureCauses: z.record(z.string(), z.number().int()),
  /** Executions finished a minute, over the last minute or so. */
  ratePerMinute: z.number(),
  etaSeconds: z.number().nullable(),
  at: At
})
export type JobRollup = z.infer<typeof JobRollup>
