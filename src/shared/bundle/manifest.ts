import { z } from 'zod'
import { EcuId, ModelName, ReleaseId, Sha256 } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { ActionType } from '../fleet/jobs'
import { FailureCause } from '../protocol/messages'
import { Signature, SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp, TufKey } from '../tuf/metadata'
import { WrappedDataKey } from '../data-key'

/** What a container holds, inside the signed part, so a results file is never read as a bundle. */
export const BUNDLE_KIND = 'ota-offline-bundle'
export const RESULTS_KIND = 'ota-offline-results'

export const BundleId = z.string().regex(/^bdl_[0-9a-f]{16}$/, 'not a bundle id')
export const WorkshopId = z.string().regex(/^ws_[0-9a-f]{16}$/, 'not a workshop id')
export const JobId = z.string().regex(/^job_[0-9a-f]{16}$/, 'not a job id')
export const KeyId = z.string().regex(/^[0-9a-f]{64}$/, 'not a key id (64 hex digits)')
const At = z.iso.datetime()

export const BlobEntry = z.object({ name: z.string().min(1).max(200), length: z.number().int().nonnegative(), sha256: Sha256 })

/** One firmware release in a bundle: what it is, where TUF signs it, and the blob that carries it. */
export const BundleRelease = z.object({
  id: ReleaseId,
  model: ModelName,
  ecu: EcuId,
  version: z.string(),
  hardware: z.array(z.string()),
  /** The TUF target that signs this release (its custom.plaintextSha256 is imageSha256). */
  targetPath: z.string(),
  /** The firmware image the ECU receives, as TUF targets sign it. */
  imageSha256: Sha256,
  imageLength: z.number().int().nonnegative(),
  /** Name of the blob holding the image sealed (OTA1, AES-256-GCM) with the bundle's content key. */
  payload: z.string()
})
export type BundleRelease = z.infer<typeof BundleRelease>

export const BundleEcu = z.object({ id: EcuId, logicalAddress: z.number().int(), zonalGateway: z.string(), hardware: z.string(), software: z.string() })
export const BundleVehicle = z.object({
  vin: Vin,
  model: ModelName,
  region: z.string(),
  /** The central gateway (the DoIP entity a tester connects to), as last reported. */
  gateway: z.object({ logicalAddress: z.number().int(), hardware: z.string(), software: z.string() }).nullable(),
  ecus: z.array(BundleEcu)
})
export type BundleVehicle = z.infer<typeof BundleVehicle>

/** The bundle's content key, wrapped for one workshop console's X25519 key (see key-wrap.ts). */

export const BundleManifest = z.object({
  kind: z.literal(BUNDLE_KIND),
  id: BundleId,
  /** The backend's offline signing key (the workshop pins it) and where it answered from. */
  backend: z.object({ keyid: KeyId, origin: z.string() }),
  workshop: z.object({ id: WorkshopId, name: z.string() }),
  job: z.object({ id: JobId, name: z.string(), actionType: ActionType }),
  createdAt: At,
  createdBy: z.string(),
  expiresAt: At,
  releases: z.array(BundleRelease).min(1),
  vehicles: z.array(BundleVehicle).min(1),
  /** The bundle's content key, wrapped to the workshop console's X-Wing key and bound to the workshop and the bundle. */
  contentKey: WrappedDataKey,
  /** Every root version, then the timestamp, snapshot and targets current when the bundle was made. */
  tuf: z.object({ roots: z.array(SignedRoot).min(1), timestamp: SignedTimestamp, snapshot: SignedSnapshot, targets: SignedTargets }),
  blobs: z.array(BlobEntry)
})
export type BundleManifest = z.infer<typeof BundleManifest>

export const ResultStep = z.object({ at: At, step: z.string().min(1).max(60), detail: z.string().max(500).optional() })
export type ResultStep = z.infer<typeof ResultStep>

/** What the workshop did to one ECU of one vehicle. */
export const WorkshopResult = z
  .object({
    vin: Vin,
    ecu: EcuId,
    releaseId: ReleaseId,
    outcome: z.enum(['succeeded', 'failed']),
    cause: FailureCause.nullable(),
    detail: z.string().max(500).nullable(),
    versionBefore: z.string().max(64).nullable(),
    versionAfter: z.string().max(64).nullable(),
    startedAt: At,
    finishedAt: At,
    steps: z.array(ResultStep).max(500)
  })
  .refine((r) => (r.outcome === 'failed') === (r.cause !== null), { message: 'a failed result names its cause; a succeeded one has none', path: ['cause'] })
export type WorkshopResult = z.infer<typeof WorkshopResult>

export const ResultsManifest = z.object({
  kind: z.literal(RESULTS_KIND),
  bundleId: BundleId,
  job: z.object({ id: JobId }),
  backendKeyId: KeyId,
  /** The workshop console and its signing key, which the backend knows from its registration. */
  workshop: z.object({ id: WorkshopId, key: TufKey }),
  createdAt: At,
  results: z.array(WorkshopResult).min(1).max(100_000),
  blobs: z.array(BlobEntry).max(0)
})
export type ResultsManifest = z.infer<typeof ResultsManifest>

/** A container's header: the signed part and its signatures, as TUF envelopes are. */
export const Envelope = z.object({ signed: z.record(z.string(), z.unknown()), signatures: z.array(Signature).min(1).max(8) })
export type Envelope = z.infer<typeof Envelope>
