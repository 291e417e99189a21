import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { wrapContentKey } from '../../src/backend/offline/key-wrap'
import { unwrapContentKey } from '../../src/core/bundles/payload'
import { createWorkshopKeys } from '../../src/core/bundles/workshop-keys'
import { createOsKeychain } from '../../src/core/secrets/os-keychain'

/** The OS keychain under a service of this test's own (run inside scripts/with-keyring). */
const keychain = () => createOsKeychain(`ota-test-key-wrap-${randomBytes(4).toString('hex')}`)

// The backend wraps a bundle's content key for one workshop's X25519 key; only that key opens
// it, and only inside the bundle it was made for.
describe("a bundle's content key", () => {
  it('opens with the workshop key it was wrapped for, in its own bundle only', async () => {
    const keys = createWorkshopKeys(keychain())
    const bay = await keys.loadOrCreate('p1')
    const other = await keys.loadOrCreate('p2')
    const contentKey = randomBytes(32)
    const wrapped = wrapContentKey(contentKey, bay.encryption.publicHex, 'bdl_0000000000000001')

    expect(wrapped.recipient).toBe(createHash('sha256').update(Buffer.from(bay.encryption.publicHex, 'hex')).digest('hex'))
    expect(wrapped.recipient).toBe(bay.encryption.keyid)
    expect(unwrapContentKey(wrapped, 'bdl_0000000000000001', bay.encryption.privateKey, bay.encryption.publicHex)?.equals(contentKey)).toBe(true)
    expect(unwrapContentKey(wrapped, 'bdl_0000000000000002', bay.encryption.privateKey, bay.encryption.publicHex)).toBeNull()
    expect(unwrapContentKey(wrapped, 'bdl_0000000000000001', other.encryption.privateKey, other.encryption.publicHex)).toBeNull()
    const altered = Buffer.from(wrapped.wrapped, 'base64')
    altered[20]! ^= 1
    expect(unwrapContentKey({ ...wrapped, wrapped: altered.toString('base64') }, 'bdl_0000000000000001', bay.encryption.privateKey, bay.encryption.publicHex)).toBeNull()
  })

  it('keeps one key pair per profile, the same on every load', async () => {
    const keys = createWorkshopKeys(keychain())
    const first = await keys.loadOrCreate('p1')
    const again = await keys.loadOrCreate('p1')
    expect(again.signing.keyid).toBe(first.signing.keyid)
    expect(again.encryption.keyid).toBe(first.encryption.keyid)
    expect(await keys.load('p3')).toBeNull()
  })
})
