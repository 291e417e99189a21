import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { wrapDataKey } from '../../src/crypto/data-key'
import { unwrapContentKey } from '../../src/core/bundles/payload'
import { createWorkshopKeys } from '../../src/core/bundles/workshop-keys'
import { createOsKeychain } from '../../src/core/secrets/os-keychain'
import { bundleDataKeyContext } from '../../src/shared/data-key'

/** The OS keychain under a service of this test's own (run inside scripts/with-keyring). */
const keychain = () => createOsKeychain(`ota-test-key-wrap-${randomBytes(4).toString('hex')}`)

// The backend wraps a bundle's content key to one workshop's X-Wing key, as it wraps a release's
// data key to a vehicle's; only that key opens it, and only inside the bundle it was made for.
describe("a bundle's content key", () => {
  it('opens with the workshop key it was wrapped for, in its own bundle only', async () => {
    const keys = createWorkshopKeys(keychain())
    const bay = await keys.loadOrCreate('p1')
    const other = await keys.loadOrCreate('p2')
    const contentKey = randomBytes(32)
    const wrap = (workshopId: string) => wrapDataKey(contentKey, Buffer.from(bay.encryption.publicKey, 'base64'), bundleDataKeyContext(workshopId, 'bdl_0000000000000001'))
    const wrapped = wrap('ws_0000000000000001')

    expect(wrapped.recipient).toBe(createHash('sha256').update(Buffer.from(bay.encryption.publicKey, 'base64')).digest('hex'))
    expect(wrapped.recipient).toBe(bay.encryption.keyid)
    expect(unwrapContentKey(wrapped, 'ws_0000000000000001', 'bdl_0000000000000001', bay.encryption.seed)?.equals(contentKey)).toBe(true)
    expect(unwrapContentKey(wrapped, 'ws_0000000000000001', 'bdl_0000000000000002', bay.encryption.seed)).toBeNull()
    expect(unwrapContentKey(wrapped, 'ws_0000000000000001', 'bdl_0000000000000001', other.encryption.seed)).toBeNull()
    expect(unwrapContentKey(wrap('ws_0000000000000002'), 'ws_0000000000000001', 'bdl_0000000000000001', bay.encryption.seed)).toBeNull()
    const altered = Buffer.from(wrapped.wrapped, 'base64')
    altered[20]! ^= 1
    expect(unwrapContentKey({ ...wrapped, wrapped: altered.toString('base64') }, 'ws_0000000000000001', 'bdl_0000000000000001', bay.encryption.seed)).toBeNull()
  })

  it('keeps one key pair per profile, the same on every load', async () => {
    const keys = createWorkshopKeys(keychain())
    const first = await keys.loadOrCreate('p1')
    const again = await keys.loadOrCreate('p1')
    expect(again.signing.keyid).toBe(first.signing.keyid)
    expect(again.encryption.keyid).toBe(first.encryption.keyid)
    expect(await keys.load('p3')).toBeNull()
  })

  it('replaces keys from before X-Wing (an X25519 key in the keychain) with a new pair', async () => {
    const secrets = keychain()
    await secrets.set('profile/p1/workshop-keys', JSON.stringify({ signing: 'unused', encryption: 'an X25519 PEM' }))
    const keys = createWorkshopKeys(secrets)
    expect(await keys.load('p1')).toBeNull()
    const fresh = await keys.loadOrCreate('p1')
    expect(Buffer.from(fresh.encryption.publicKey, 'base64')).toHaveLength(1216)
  })
})
