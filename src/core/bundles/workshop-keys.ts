import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { xwingKeyPair } from '../../crypto/xwing'
import { ed25519Request } from '../../crypto/x509'
import type { TufKey } from '../../shared/tuf/metadata'
import type { SecretStore } from '../secrets/secret-store'
import { keyIdOf, signCanonical, tufKeyOf } from '../firmware/ed25519'

/**
 * A workshop console's keys, one pair per connection profile (as release keys are): ed25519 signs
 * its results files, X-Wing (X25519 + ML-KEM-768) opens the bundles made for it. Both private
 * halves stay in the OS keychain; the backend learns the public halves when the console registers
 * as a workshop.
 */
const account = (profileId: string) => `profile/${profileId}/workshop-keys`

export interface WorkshopKeys {
  /** `request` is a PKCS#10 request for the signing key, for the workshop's certificate. */
  signing: { keyid: string; key: TufKey; sign(signed: unknown): string; request(cn: string): Promise<string> }
  /** `publicKey` in base64, as the backend takes it; `seed` is the private key. */
  encryption: { keyid: string; publicKey: string; seed: Buffer }
}

const toKeys = (signing: KeyObject, seed: Buffer): WorkshopKeys => {
  const key = tufKeyOf(createPublicKey(signing))
  const { publicKey } = xwingKeyPair(seed)
  return {
    signing: { keyid: keyIdOf(key), key, sign: (signed) => signCanonical(signing, signed), request: (cn) => ed25519Request(cn, signing) },
    encryption: { keyid: createHash('sha256').update(publicKey).digest('hex'), publicKey: publicKey.toString('base64'), seed }
  }
}

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString()

export function createWorkshopKeys(secrets: SecretStore) {
  const load = async (profileId: string): Promise<WorkshopKeys | null> => {
    const stored = await secrets.get(account(profileId))
    if (stored === null) return null
    const { signing, kemSeed } = JSON.parse(stored) as { signing: string; kemSeed?: string }
    // Keys from before X-Wing (an X25519 key) are replaced: the console registers as a new workshop.
    if (!kemSeed) return null
    return toKeys(createPrivateKey(signing), Buffer.from(kemSeed, 'base64'))
  }
  return {
    load,
    async loadOrCreate(profileId: string): Promise<WorkshopKeys> {
      const existing = await load(profileId)
      if (existing) return existing
      const signing = generateKeyPairSync('ed25519').privateKey
      const { seed } = xwingKeyPair()
      await secrets.set(account(profileId), JSON.stringify({ signing: pem(signing), kemSeed: seed.toString('base64') }))
      return toKeys(signing, seed)
    }
  }
}
export type WorkshopKeyStore = ReturnType<typeof createWorkshopKeys>
