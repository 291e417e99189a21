import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { TufKey } from '../../shared/tuf/metadata'
import type { SecretStore } from '../secrets/secret-store'
import { keyIdOf, signCanonical, tufKeyOf } from '../firmware/ed25519'

/**
 * A workshop console's keys, one pair per connection profile (as release keys are): ed25519 signs
 * its results files, X25519 opens the bundles made for it. Both private halves stay in the OS
 * keychain; the backend learns the public halves when the console registers as a workshop.
 */
const account = (profileId: string) => `profile/${profileId}/workshop-keys`

export interface WorkshopKeys {
  signing: { keyid: string; key: TufKey; sign(signed: unknown): string }
  encryption: { keyid: string; publicHex: string; privateKey: KeyObject }
}

const rawPublic = (privateKey: KeyObject) => Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url')

const toKeys = (signing: KeyObject, encryption: KeyObject): WorkshopKeys => {
  const key = tufKeyOf(createPublicKey(signing))
  const encryptionRaw = rawPublic(encryption)
  return {
    signing: { keyid: keyIdOf(key), key, sign: (signed) => signCanonical(signing, signed) },
    encryption: { keyid: createHash('sha256').update(encryptionRaw).digest('hex'), publicHex: encryptionRaw.toString('hex'), privateKey: encryption }
  }
}

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString()

export function createWorkshopKeys(secrets: SecretStore) {
  const load = async (profileId: string): Promise<WorkshopKeys | null> => {
    const stored = await secrets.get(account(profileId))
    if (stored === null) return null
    const { signing, encryption } = JSON.parse(stored) as { signing: string; encryption: string }
    return toKeys(createPrivateKey(signing), createPrivateKey(encryption))
  }
  return {
    load,
    async loadOrCreate(profileId: string): Promise<WorkshopKeys> {
      const existing = await load(profileId)
      if (existing) return existing
      const signing = generateKeyPairSync('ed25519').privateKey
      const encryption = generateKeyPairSync('x25519').privateKey
      await secrets.set(account(profileId), JSON.stringify({ signing: pem(signing), encryption: pem(encryption) }))
      return toKeys(signing, encryption)
    }
  }
}
export type WorkshopKeyStore = ReturnType<typeof createWorkshopKeys>
