import { z } from 'zod'

/** TUF 1.0 metadata, as the backend signs it and a vehicle verifies it. */
export const SPEC_VERSION = '1.0.31'

export const TufKey = z.object({
  keytype: z.literal('ed25519'),
  scheme: z.literal('ed25519'),
  keyval: z.object({ public: z.string().regex(/^[0-9a-f]{64}$/) })
})
export type TufKey = z.infer<typeof TufKey>

const RoleKeys = z.object({ keyids: z.array(z.string()), threshold: z.number().int().min(1) })
const Common = { spec_version: z.string(), version: z.number().int().min(1), expires: z.string() }
const MetaFile = z.object({ version: z.number().int().min(1), length: z.number().int().optional(), hashes: z.record(z.string(), z.string()).optional() })

export const RootSigned = z.object({
  _type: z.literal('root'),
  ...Common,
  consistent_snapshot: z.boolean(),
  keys: z.record(z.string(), TufKey),
  roles: z.object({ root: RoleKeys, targets: RoleKeys, snapshot: RoleKeys, timestamp: RoleKeys })
})

/** What a target's `custom` carries: which firmware it is, and its post-quantum signature. */
export const TargetCustom = z.object({
  releaseId: z.string(),
  model: z.string(),
  ecu: z.string(),
  version: z.string(),
  hardware: z.array(z.string()),
  plaintextSha256: z.string(),
  /**
   * Binary deltas to this image from the versions vehicles run, each sealed with the release's
   * data key like the image: what a vehicle holding the source image (plaintext sha256) may
   * download instead, checked by length and sha256 of the sealed bytes.
   */
  deltas: z.array(z.object({ from: z.string(), sourceSha256: z.string(), length: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).optional(),
  /** ML-DSA-65 over canonicalJson({path, length, sha256}) of this target, hex. */
  mldsa65: z.object({ keyid: z.string(), sig: z.string() }).optional()
})
export type TargetCustom = z.infer<typeof TargetCustom>

export const TargetInfo = z.object({
  length: z.number().int().nonnegative(),
  hashes: z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  custom: TargetCustom.optional()
})
export type TargetInfo = z.infer<typeof TargetInfo>

export const TargetsSigned = z.object({ _type: z.literal('targets'), ...Common, targets: z.record(z.string(), TargetInfo) })
export const SnapshotSigned = z.object({ _type: z.literal('snapshot'), ...Common, meta: z.record(z.string(), MetaFile) })
export const TimestampSigned = z.object({ _type: z.literal('timestamp'), ...Common, meta: z.object({ 'snapshot.json': MetaFile }) })

export const Signature = z.object({ keyid: z.string(), sig: z.string().regex(/^[0-9a-f]*$/) })
export const envelope = <S extends z.ZodType>(signed: S) => z.object({ signed, signatures: z.array(Signature) })

export const SignedRoot = envelope(RootSigned)
export const SignedTargets = envelope(TargetsSigned)
export const SignedSnapshot = envelope(SnapshotSigned)
export const SignedTimestamp = envelope(TimestampSigned)
export type SignedRoot = z.infer<typeof SignedRoot>
export type SignedTargets = z.infer<typeof SignedTargets>
export type SignedSnapshot = z.infer<typeof SignedSnapshot>
export type SignedTimestamp = z.infer<typeof SignedTimestamp>
export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp'

/** The message an ML-DSA-65 target signature covers. */
export const pqMessage = (path: string, length: number, sha256: string) => ({ path, length, sha256 })
