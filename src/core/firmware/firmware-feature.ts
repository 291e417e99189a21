import { z } from 'zod'
import type { ReleaseList } from '../../shared/calls/firmware'
import { OtaError } from '../../shared/errors'
import { ReleaseView } from '../../shared/fleet/catalog'
import type { BackendCache } from '../backend/backend-cache'
import { callsOf, requireProfile, type FeatureDeps, type HandlersOf } from '../feature'
import { createReleaseKeys } from './release-key'
import { createTargetsSigner } from './targets-signer'
import { createUploads } from './uploads'

const RELEASES_KEY = 'releases'
const CachedReleases = z.array(ReleaseView)

/**
 * Firmware: chunked uploads, releases, and signing the targets list with the release key in
 * the OS keychain or on a PKCS#11 token. The release list is kept per profile, so the screen opens with the last
 * known one and marks it stale when the backend cannot be reached.
 */
export function createFirmwareFeature(deps: FeatureDeps & { cache: BackendCache; profileId(): string | null }) {
  const { cache } = deps
  const { ask } = callsOf(deps)
  const profile = requireProfile(deps.profileId)
  const keys = createReleaseKeys(deps.secrets)
  const signer = createTargetsSigner(keys)
  const uploads = createUploads({ client: () => ask(async (c) => c) })

  const handlers: HandlersOf<'uploads'> & HandlersOf<'releases'> & HandlersOf<'releaseSets'> & HandlersOf<'signing'> = {
    'releaseSets.list': () => ask((c) => c.releaseSets.list({})),
    'releaseSets.create': (input) => ask((c) => c.releaseSets.create(input)),
    'releaseSets.compatibility': ({ id }) => ask((c) => c.releaseSets.compatibility({ id }, {})),
    'releaseSets.deploy': ({ id, vins }) => ask((c) => c.releaseSets.deploy({ id }, { vins })),
    'releaseSets.deployments': ({ id }) => ask((c) => c.releaseSets.deployments({ id })),
    'uploads.begin': (input) => uploads.begin(input),
    'uploads.chunk': (input) => uploads.chunk(input),
    'uploads.finish': (input) => ask(() => uploads.finish(input)),
    'uploads.cancel': (input) => uploads.cancel(input),

    'releases.list': async (): Promise<ReleaseList> => {
      const profileId = deps.profileId()
      try {
        const { releases } = await ask((c) => c.releases.list())
        const fetchedAt = new Date().toISOString()
        if (profileId) cache.put(profileId, RELEASES_KEY, releases, fetchedAt)
        return { releases, stale: false, fetchedAt }
      } catch (err) {
        const hit = profileId && err instanceof OtaError && err.code === 'BACKEND_UNREACHABLE' ? cache.get(CachedReleases, profileId, RELEASES_KEY) : undefined
        if (hit) return { releases: hit.value, stale: true, fetchedAt: hit.fetchedAt }
        throw err
      }
    },
    'releases.create': (input) => ask((c) => c.releases.create(input)),
    'releases.publish': ({ id }) => ask((c) => signer.change(c, profile(), id, 'publish')),
    'releases.withdraw': ({ id }) => ask((c) => signer.change(c, profile(), id, 'withdraw')),
    'releases.promote': ({ id, channel }) => ask((c) => c.releases.promote({ id }, { channel })),

    'signing.status': () => ask((c) => signer.status(c, profile())),
    'signing.register': () => ask((c) => signer.register(c, profile())),
    'signing.sign': ({ fingerprint }) => ask((c) => signer.signReviewed(c, profile(), fingerprint)),
    'signing.exportPublicKey': async () => {
      const key = await keys.loadOrCreate(profile())
      return { keyid: key.keyid, publicKey: key.publicKey, pem: key.publicPem }
    },
    'signing.exportBackup': ({ passphrase }) => keys.exportBackup(profile(), passphrase),
    'signing.importBackup': async ({ pem, passphrase, replace }) => {
      const profileId = profile()
      await keys.importBackup(profileId, pem, passphrase, replace)
      return ask((c) => signer.status(c, profileId))
    },
    'signing.useToken': async (settings) => {
      const profileId = profile()
      await keys.useToken(profileId, settings)
      return ask((c) => signer.status(c, profileId))
    },
    'signing.useKeychain': async () => {
      const profileId = profile()
      await keys.useKeychain(profileId)
      return ask((c) => signer.status(c, profileId))
    }
  }

  return { handlers, close: () => uploads.close() }
}
