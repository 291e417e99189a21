import { z } from 'zod'
import { CertificatePage, CertificateQuery, CertificateSerial, CertificateSummary, DeviceCertificateView, EXPIRING_DAYS, RevokeCertificate } from '../fleet/certificates'
import { Vin } from '../fleet/device'
import { call } from './call'
import { savedView, ViewId, ViewName } from './saved-view'

/** What a saved view of the certificates screen keeps: its filters and sort, not a page. */
export const CertificateFilters = CertificateQuery.omit({ cursor: true, limit: true })
export type CertificateFilters = z.infer<typeof CertificateFilters>

export const SavedCertificateView = savedView(CertificateFilters)
export type SavedCertificateView = z.infer<typeof SavedCertificateView>

const BySerial = z.object({ serial: CertificateSerial })

/** The backend's device certificates, as the console's certificates screen and a vehicle's page use them. */
export const certificateCalls = {
  'certificates.list': call(CertificateQuery.strict(), CertificatePage),
  'certificates.summary': call(z.object({ expiringDays: z.number().int().min(1).max(365).default(EXPIRING_DAYS) }).strict(), CertificateSummary),
  'certificates.revoke': call(BySerial.extend(RevokeCertificate.shape).strict(), DeviceCertificateView),
  'certificates.requestRenewal': call(BySerial.strict(), DeviceCertificateView),
  'certificates.ofVehicle': call(z.object({ vin: Vin }).strict(), z.object({ certificates: z.array(DeviceCertificateView) })),
  'certificates.views': call(z.void(), z.object({ views: z.array(SavedCertificateView) })),
  /** Saves a view under a name; a view of the same name is replaced. */
  'certificates.saveView': call(z.object({ name: ViewName, query: CertificateFilters }).strict(), SavedCertificateView),
  'certificates.deleteView': call(z.object({ id: ViewId }).strict(), z.void())
}
