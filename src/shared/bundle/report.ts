import { z } from 'zod'
import { EcuId, ModelName, ReleaseId } from '../fleet/catalog'
import { BundleId, JobId, KeyId, WorkshopId } from './manifest'

/**
 * The checks a bundle passes before anything in it is used, in the order they run: each needs
 * the ones before it (no signature is checked on a file that is not a bundle).
 */
export const BundleCheckName = z.enum([
  /** The file's layout: magic, lengths, nothing truncated or appended. */
  'container',
  /** A format version this console reads. */
  'format',
  /** A bundle, not a results file or anything else. */
  'kind',
  /** Signed by a backend key this console pinned while online (otherwise: a foreign bundle). */
  'signer',
  /** The signature over the manifest verifies (otherwise: the manifest was altered). */
  'signature',
  /** Every blob has the length and sha256 the signed manifest names. */
  'blobs',
  /** Not past the bundle's own expiry. */
  'expiry',
  /** Made for this workshop console (its key can open the payloads). */
  'recipient',
  /** TUF metadata chains to the pinned root, signatures and expiry hold. */
  'tuf',
  /** Every release is a signed TUF target with the same image hash. */
  'releases',
  /** Every payload decrypts and hashes to its signed image. */
  'payloads'
])
export type BundleCheckName = z.infer<typeof BundleCheckName>

export const BundleCheck = z.object({ check: BundleCheckName, ok: z.boolean(), detail: z.string() })
export type BundleCheck = z.infer<typeof BundleCheck>

export const BundleSummary = z.object({
  id: BundleId,
  job: z.object({ id: JobId, name: z.string() }),
  backend: z.object({ keyid: KeyId, origin: z.string() }),
  workshop: z.object({ id: WorkshopId, name: z.string() }),
  createdAt: z.string(),
  expiresAt: z.string(),
  releases: z.array(z.object({ id: ReleaseId, model: ModelName, ecu: EcuId, version: z.string() })),
  vehicles: z.number().int()
})
export type BundleSummary = z.infer<typeof BundleSummary>

/** A verification's outcome: every check that ran, and the first that failed with its reason. */
export const BundleVerdict = z.object({
  ok: z.boolean(),
  failed: BundleCheckName.nullable(),
  /** One sentence: "Verified: …" or the failed check's reason. */
  message: z.string(),
  checks: z.array(BundleCheck),
  /** What the bundle claims to be; null when the file could not be read as one. */
  bundle: BundleSummary.nullable()
})
export type BundleVerdict = z.infer<typeof BundleVerdict>
