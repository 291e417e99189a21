import { z } from 'zod'
import { ArtifactView, Channel, CreateRelease, ReleaseId, ReleaseView } from '../fleet/catalog'
import { TufKey } from '../tuf/metadata'
import { Vin } from '../fleet/device'
import { CreateReleaseSet, DeploymentView, ReleaseSetId, ReleaseSetView, VehicleCompatibility } from '../fleet/release-sets'
import { call } from './call'

/**
 * The largest piece of a file one uploads.chunk call carries (raw bytes, sent as base64): small
 * enough for the browser host's 1 MiB WebSocket frames, large enough to keep round trips few.
 */
export const UPLOAD_CHUNK_BYTES = 512 * 1024
const BASE64_CHUNK_CHARS = 4 * Math.ceil(UPLOAD_CHUNK_BYTES / 3)

export const UploadId = z.string().regex(/^upl_[0-9a-f]{16}$/, 'not an upload id')
const ByUpload = z.object({ id: UploadId }).strict()
const ByRelease = z.object({ id: ReleaseId }).strict()

export const UploadStart = z
  .object({
    name: z.string().trim().min(1).max(255),
    size: z.number().int().positive('an empty file is not firmware')
  })
  .strict()

export const UploadChunk = z
  .object({
    id: UploadId,
    /** Where the chunk starts in the file: must be exactly the bytes received so far. */
    offset: z.number().int().nonnegative(),
    data: z.base64().max(BASE64_CHUNK_CHARS, `a chunk carries at most ${UPLOAD_CHUNK_BYTES} bytes`)
  })
  .strict()

/** What the releases screen shows: the backend's answer, or the last one cached here, marked stale. */
export const ReleaseList = z.object({ releases: z.array(ReleaseView), stale: z.boolean(), fetchedAt: z.string().nullable() })
export type ReleaseList = z.infer<typeof ReleaseList>

/** One entry of the targets list that differs between what vehicles trust now and what is to be signed. */
export const TargetChange = z.object({
  kind: z.enum(['added', 'removed', 'changed']),
  path: z.string(),
  releaseId: z.string().nullable(),
  model: z.string().nullable(),
  ecu: z.string().nullable(),
  version: z.string().nullable(),
  /** The sha256 of the firmware image itself, as the vehicle checks it after decrypting. */
  imageSha256: z.string().nullable()
})
export type TargetChange = z.infer<typeof TargetChange>

/**
 * Who signs the list of firmware vehicles may install, and what is waiting for a signature.
 * `signer` is "console" when the backend's TUF root names this console's release key.
 */
/** A release key on a PKCS#11 token (a smart card): the module that drives it, the token, the key's label. */
export const ReleaseKeyToken = z
  .object({
    module: z
      .string()
      .trim()
      .min(1, 'the PKCS#11 module is a file path')
      .max(1024)
      .regex(/^(\/|[A-Za-z]:\\)/, 'the PKCS#11 module is an absolute path (for example /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so)'),
    token: z.string().trim().min(1, 'name the token by its label').max(32, 'a PKCS#11 token label has at most 32 characters'),
    label: z.string().trim().min(1, 'name the key by its label').max(128)
  })
  .strict()
export type ReleaseKeyToken = z.infer<typeof ReleaseKeyToken>

/** Where this connection's release key is: the OS keychain (the default), or a token, whose PIN the keychain keeps. */
export const ReleaseKeyLocation = z.discriminatedUnion('kind', [z.object({ kind: z.literal('keychain') }), ReleaseKeyToken.extend({ kind: z.literal('token') })])
export type ReleaseKeyLocation = z.infer<typeof ReleaseKeyLocation>

export const SigningStatus = z.object({
  key: z.object({ keyid: z.string(), publicKey: TufKey }).nullable(),
  location: ReleaseKeyLocation,
  signer: z.enum(['console', 'other', 'unknown']),
  /** The key id root names for targets (this console's, the backend's own, or another). */
  trustedKeyId: z.string().nullable(),
  targets: z.object({ version: z.number().int(), expires: z.string(), count: z.number().int() }).nullable(),
  /** Changes vehicles do not see until they are signed; null when they could not be read. */
  pending: z.array(TargetChange).nullable(),
  /** Names the pending changes exactly: signing.sign refuses if they changed since. */
  fingerprint: z.string().nullable(),
  /** Why something is unknown, in words. */
  message: z.string().nullable()
})
export type SigningStatus = z.infer<typeof SigningStatus>

/** A publish or withdraw, and whether vehicles already see it (signed) or it waits for a signature. */
export const ReleaseChange = z.object({
  release: ReleaseView,
  signed: z.enum(['console', 'backend', 'pending']),
  /** When the change waits for a signature: why it was not signed. */
  message: z.string().nullable()
})
export type ReleaseChange = z.infer<typeof ReleaseChange>

const Passphrase = z.string().min(12, 'a backup passphrase has at least 12 characters').max(1024)

const BySet = z.object({ id: ReleaseSetId }).strict()
const Deployments = z.object({ deployments: z.array(DeploymentView) })

export const firmwareCalls = {
  'releaseSets.list': call(z.void(), z.object({ sets: z.array(ReleaseSetView) })),
  'releaseSets.create': call(CreateReleaseSet, ReleaseSetView),
  /** The set against each vehicle of its model (the first 500): what blocks it, or its package per zonal gateway. */
  'releaseSets.compatibility': call(BySet, z.object({ vehicles: z.array(VehicleCompatibility) })),
  /** Sends the set to these vehicles; those it does not fit are recorded as blocked. */
  'releaseSets.deploy': call(z.object({ id: ReleaseSetId, vins: z.array(Vin).min(1).max(500) }).strict(), Deployments),
  'releaseSets.deployments': call(BySet, Deployments),
  /** A chunked upload into one streamed POST /api/v1/artifacts; nothing is held whole in memory. */
  'uploads.begin': call(UploadStart, z.object({ id: UploadId, chunkBytes: z.number().int() })),
  /** Resolves once the backend has taken the bytes (backpressure), with the total received. */
  'uploads.chunk': call(UploadChunk, z.object({ received: z.number().int() })),
  /** Ends the upload; the answer's sha256 was checked against the one the console computed. */
  'uploads.finish': call(ByUpload, ArtifactView),
  /** Aborts the request; the backend keeps nothing of it. */
  'uploads.cancel': call(ByUpload, z.void()),
  'releases.list': call(z.void(), ReleaseList),
  'releases.create': call(CreateRelease, ReleaseView),
  /** Publishes, and signs the new targets with this console's key when the backend trusts it. */
  'releases.publish': call(ByRelease, ReleaseChange),
  'releases.withdraw': call(ByRelease, ReleaseChange),
  /** Puts a release on one more channel: "promote to stable" offers it to every vehicle of its model. */
  'releases.promote': call(z.object({ id: ReleaseId, channel: Channel }).strict(), ReleaseView),
  'signing.status': call(z.void(), SigningStatus),
  /** Makes the release key (first use) and has the backend's root name it for targets (admin). */
  'signing.register': call(z.void(), SigningStatus),
  /** Signs the pending changes the user reviewed; the fingerprint must still match them. */
  'signing.sign': call(z.object({ fingerprint: z.string().regex(/^[0-9a-f]{64}$/) }).strict(), SigningStatus),
  'signing.exportPublicKey': call(z.void(), z.object({ keyid: z.string(), publicKey: TufKey, pem: z.string() })),
  /** The private key as PKCS#8 PEM encrypted with the passphrase (AES-256); never in plain text. */
  'signing.exportBackup': call(z.object({ passphrase: Passphrase }).strict(), z.object({ keyid: z.string(), pem: z.string() })),
  /** Restores a backup into the keychain; `replace` must be true to overwrite a different key. */
  'signing.importBackup': call(z.object({ pem: z.string().min(1).max(16_384), passphrase: z.string().min(1).max(1024), replace: z.boolean() }).strict(), SigningStatus),
  /**
   * Signs from now on with the ed25519 key of this label on the token (made there when the token
   * has none), after a test signature; the PIN goes to the keychain. Root names the new key once
   * an admin registers it.
   */
  'signing.useToken': call(ReleaseKeyToken.extend({ pin: z.string().min(1, 'the token needs its user PIN').max(256) }).strict(), SigningStatus),
  /** Signs with the keychain's key again; the token and its key are left as they are. */
  'signing.useKeychain': call(z.void(), SigningStatus)
}

export const firmwareEvents = {}
