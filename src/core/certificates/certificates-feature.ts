import { CertificateFilters } from '../../shared/calls/certificates'
import { createSavedViews } from '../store/saved-views'
import { callsOf, requireProfile, type FeatureDeps, type HandlersOf } from '../feature'

/**
 * Device certificates on the backend: pages of the list, the counts and expiries of the chart,
 * revocation and forced renewal (the backend checks the role), a vehicle's history; and the
 * screen's saved views, kept per profile in the console's store.
 */
export function createCertificatesFeature(deps: FeatureDeps & { profileId(): string | null }) {
  const { ask } = callsOf(deps)
  const profile = requireProfile(deps.profileId)
  const views = createSavedViews(deps.db, 'certificate_views', CertificateFilters)
  const handlers: HandlersOf<'certificates'> = {
    'certificates.list': (query) => ask((c) => c.pki.certificates(query)),
    'certificates.summary': ({ expiringDays }) => ask((c) => c.pki.summary({ expiringDays })),
    'certificates.revoke': ({ serial, ...body }) => ask((c) => c.pki.revoke({ serial }, body)),
    'certificates.requestRenewal': ({ serial }) => ask((c) => c.pki.requestRenewal({ serial })),
    'certificates.ofVehicle': ({ vin }) => ask((c) => c.pki.vehicleCertificates({ vin })),
    'certificates.views': () => ({ views: views.list(profile()) }),
    'certificates.saveView': ({ name, query }) => views.save(profile(), name, query),
    'certificates.deleteView': ({ id }) => views.delete(profile(), id)
  }
  return { handlers }
}
