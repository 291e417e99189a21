import { z } from 'zod'
import { VehicleCredentials, Vin } from './device'

/**
 * The CRLReason codes of RFC 5280 §5.3.1 an operator may give. The CA-only ones (cACompromise,
 * aACompromise) and the reversible certificateHold/removeFromCRL are left out: a revoked device
 * certificate stays revoked, and the device enrols again.
 */
export const REVOCATION_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  privilegeWithdrawn: 9
} as const
export const RevocationReason = z.enum(Object.keys(REVOCATION_REASONS) as [keyof typeof REVOCATION_REASONS, ...(keyof typeof REVOCATION_REASONS)[]])
export type RevocationReason = z.infer<typeof RevocationReason>

/** Who holds a device certificate: a vehicle gateway (by VIN) or a workshop console (by its id). */
export const CertificateHolderKind = z.enum(['vehicle', 'workshop'])
export type CertificateHolderKind = z.infer<typeof CertificateHolderKind>

/** The URI subjectAltName that names the holder in its certificate, beside CN. */
export const holderUri = (kind: CertificateHolderKind, id: string) => `urn:ota:${kind}:${id}`

export const CertificateSerial = z.string().regex(/^[0-9a-f]{2,40}$/, 'a certificate serial is 1 to 20 bytes in lowercase hex')

/** A PKCS#10 certificate request in PEM, made where the key was made. */
export const CsrPem = z
  .string()
  .max(16_384)
  .regex(/-----BEGIN CERTIFICATE REQUEST-----/, 'not a PKCS#10 certificate request (PEM, BEGIN CERTIFICATE REQUEST)')

/** The one-time enrolment credential and a CSR: what a vehicle sends to get its first certificate. */
export const EnrolDevice = z
  .object({
    vin: Vin,
    credential: z.string().min(1).max(256).describe('the enrolment credential registration answered; it enrols once, and expires'),
    csrPem: CsrPem.describe('CN = the VIN, signed with the key made on the vehicle (the device CA’s algorithm)')
  })
  .strict()

export const RenewCertificate = z.object({ csrPem: CsrPem.describe('a new key, made on the vehicle; CN = its VIN') }).strict()

export const IssuedCertificate = z.object({
  serial: CertificateSerial,
  certificatePem: z.string(),
  notAfter: z.string().describe('ISO 8601; the vehicle renews before it')
})
export type IssuedCertificate = z.infer<typeof IssuedCertificate>

export const RevokeCertificate = z
  .object({
    reason: RevocationReason.describe('RFC 5280 CRLReason'),
    comment: z.string().trim().max(500).optional().describe('why, for the audit log')
  })
  .strict()
export type RevokeCertificate = z.infer<typeof RevokeCertificate>

export const CertificateRevocation = z.object({ at: z.string(), reason: RevocationReason, by: z.string(), comment: z.string().nullable() })

export const DeviceCertificateView = z.object({
  serial: CertificateSerial,
  holderKind: CertificateHolderKind,
  holder: z.string(),
  algorithm: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  issuedAt: z.string(),
  /** The certificate this one replaced at a renewal; null for an enrolment. */
  replaces: CertificateSerial.nullable(),
  revocation: CertificateRevocation.nullable(),
  renewalRequestedAt: z.string().nullable()
})
export type DeviceCertificateView = z.infer<typeof DeviceCertificateView>

/** A new enrolment credential, for a vehicle whose certificate expired or was revoked. */
export const EnrolmentCredential = VehicleCredentials.omit({ model: true })

/** Where a certificate stands: superseded is revoked by its own renewal, revoked is any other reason. */
export const CertificateState = z.enum(['valid', 'expiring', 'expired', 'revoked', 'superseded'])
export type CertificateState = z.infer<typeof CertificateState>

/** How near its end a valid certificate counts as expiring, unless a query says. */
export const EXPIRING_DAYS = 14

export function certificateState(c: Pick<DeviceCertificateView, 'notAfter' | 'revocation'>, now: number, expiringDays = EXPIRING_DAYS): CertificateState {
  if (c.revocation) return c.revocation.reason === 'superseded' ? 'superseded' : 'revoked'
  const end = Date.parse(c.notAfter)
  if (end <= now) return 'expired'
  return end - now <= expiringDays * 86_400_000 ? 'expiring' : 'valid'
}

export const CertificateQuery = z.object({
  holderKind: CertificateHolderKind.optional(),
  state: CertificateState.optional().describe('without it: every state but superseded'),
  expiringDays: z.coerce.number().int().min(1).max(365).default(EXPIRING_DAYS).describe('a valid certificate ending within this many days is expiring'),
  q: z.string().max(64).optional().describe('holder (VIN or workshop id) prefix, or a serial prefix'),
  algorithm: z.string().max(16).optional(),
  sort: z.enum(['notAfter', 'issuedAt', 'holder']).default('notAfter'),
  order: z.enum(['asc', 'desc']).default('asc'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})
export type CertificateQuery = z.infer<typeof CertificateQuery>

export const CertificatePage = z.object({ certificates: z.array(DeviceCertificateView), nextCursor: z.string().nullable() })
export type CertificatePage = z.infer<typeof CertificatePage>

export const CertificateSummaryQuery = z.object({
  expiringDays: z.coerce.number().int().min(1).max(365).default(EXPIRING_DAYS),
  weeks: z.coerce.number().int().min(1).max(104).default(12).describe('how many weeks of expiries, from this week')
})

/** Counts by state, and the certificates still in use that expire in each coming week (Monday, UTC). */
export const CertificateSummary = z.object({
  counts: z.record(CertificateState, z.number().int()),
  expiriesByWeek: z.array(z.object({ weekStart: z.string().describe('YYYY-MM-DD, a Monday'), count: z.number().int() }))
})
export type CertificateSummary = z.infer<typeof CertificateSummary>
