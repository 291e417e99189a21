import type { CertificateHolderKind, DeviceCertificateView, RevocationReason } from '../../shared/fleet/certificates'

/** A row of device_certificates, and how the API shows it. */
export interface CertificateRow {
  serial: string
  holder_kind: CertificateHolderKind
  holder: string
  algorithm: string
  not_before: string
  not_after: string
  issued_at: string
  replaces: string | null
  revoked_at: string | null
  revocation_reason: RevocationReason | null
  revoked_by: string | null
  revocation_comment: string | null
  renewal_requested_at: string | null
}

export const view = (r: CertificateRow): DeviceCertificateView => ({
  serial: r.serial,
  holderKind: r.holder_kind,
  holder: r.holder,
  algorithm: r.algorithm,
  notBefore: r.not_before,
  notAfter: r.not_after,
  issuedAt: r.issued_at,
  replaces: r.replaces,
  revocation: r.revoked_at ? { at: r.revoked_at, reason: r.revocation_reason!, by: r.revoked_by ?? '', comment: r.revocation_comment } : null,
  renewalRequestedAt: r.renewal_requested_at
})
