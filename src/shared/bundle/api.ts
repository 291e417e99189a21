import { z } from 'zod'
import { EcuId } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { JobView } from '../fleet/jobs'
import { SignedRoot, TufKey } from '../tuf/metadata'
import { BundleId, KeyId, WorkshopId } from './manifest'
import { KemPublicKey } from '../data-key'
import { CsrPem, DeviceCertificateView, IssuedCertificate } from '../fleet/certificates'

/** The backend's offline-bundle API: what a workshop console registers, and what it learns in return. */
export const RegisterWorkshop = z
  .object({
    name: z.string().trim().min(1).max(100),
    /** ed25519: the workshop signs its results files with it. */
    signingKey: TufKey,
    /** X-Wing (X25519 + ML-KEM-768): bundles for this workshop wrap their content key to it. */
    encryptionKey: KemPublicKey,
    csrPem: CsrPem.describe("a PKCS#10 request for the ed25519 signing key, CN = name: the workshop's certificate, renewed at each registration")
  })
  .strict()
export type RegisterWorkshop = z.infer<typeof RegisterWorkshop>

export const WorkshopView = z.object({
  id: WorkshopId,
  name: z.string(),
  signingKeyId: KeyId,
  encryptionKeyId: KeyId,
  createdAt: z.string(),
  createdBy: z.string(),
  /** Its current certificate; null for a workshop registered before certificates, which registers again. */
  certificate: DeviceCertificateView.nullable()
})
export type WorkshopView = z.infer<typeof WorkshopView>

/** What a workshop console pins while online, to judge bundles offline. */
export const BackendTrust = z.object({ backendKey: TufKey, backendKeyId: KeyId, root: SignedRoot })
export type BackendTrust = z.infer<typeof BackendTrust>

export const WorkshopRegistration = z.object({ workshop: WorkshopView, trust: BackendTrust, certificate: IssuedCertificate })
export type WorkshopRegistration = z.infer<typeof WorkshopRegistration>

export const ExportBundleRequest = z
  .object({
    workshopId: WorkshopId,
    /** Which of the job's queued vehicles; all that no live bundle holds yet when absent. */
    vins: z.array(Vin).min(1).max(100_000).optional(),
    /** Capped by the TUF targets and root expiry. */
    expiresInHours: z.number().int().min(1).max(720).default(72)
  })
  .strict()
export type ExportBundleRequest = z.input<typeof ExportBundleRequest>

export const ResultsImportReport = z.object({
  bundleId: BundleId,
  /** Results that moved an execution (or replaced an earlier failure). */
  applied: z.number().int(),
  /** Results already recorded: importing a file twice changes nothing. */
  unchanged: z.number().int(),
  refused: z.array(z.object({ vin: Vin, ecu: EcuId, reason: z.string() })),
  job: JobView
})
export type ResultsImportReport = z.infer<typeof ResultsImportReport>
