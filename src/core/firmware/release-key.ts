import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { OtaError } from '../../shared/errors'
import type { TufKey } from '../../shared/tuf/metadata'
import type { SecretStore } from '../secrets/secret-store'
import { keyIdOf, signCanonical, tufKeyOf } from './ed25519'

/**
 * One release key per connection profile: a key signs for one fleet's TUF root, and a key shared
 * between fleets (a sandbox and production) would let targets signed in one be replayed to the
 * other's vehicles by a compromised server.
 */
const account = (profileId: string) => `profile/${profileId}/release-key`

export interface ReleaseKey {
  keyid: string
  publicKey: TufKey
  publicPem: string
  /** A TUF signature over the canonical JSON of `signed`. */
  sign(signed: unknown): string
}

const toReleaseKey = (privateKey: KeyObject): ReleaseKey => {
  const publicKey = tufKeyOf(createPublicKey(privateKey))
  return {
    keyid: keyIdOf(publicKey),
    publicKey,
    publicPem: createPublicKey(privateKey).export({ format: 'pem', type: 'spki' }).toString(),
    sign: (signed) => signCanonical(privateKey, signed)
  }
}

const pkcs8 = (privateKey: KeyObject) => privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

/**
 * The ed25519 release key in the OS keychain, made on first use. Its private half leaves the
 * keychain only inside this module: to sign, or as a passphrase-encrypted backup.
 */
export function createReleaseKeys(secrets: SecretStore) {
  const privateKeyOf = async (profileId: string) => {
    const pem = await secrets.get(account(profileId))
    return pem === null ? null : createPrivateKey(pem)
  }

  const privateKeyOrNew = async (profileId: string) => {
    const existing = await privateKeyOf(profileId)
    if (existing) return existing
    const { privateKey } = generateKeyPairSync('ed25519')
    await secrets.set(account(profileId), pkcs8(privateKey))
    return privateKey
  }

  return {
    async load(profileId: string): Promise<ReleaseKey | null> {
      const key = await privateKeyOf(profileId)
      return key && toReleaseKey(key)
    },

    loadOrCreate: async (profileId: string): Promise<ReleaseKey> => toReleaseKey(await privateKeyOrNew(profileId)),

    /** PKCS#8 encrypted with the passphrase (PBES2, AES-256-CBC): `openssl pkey` reads it too. */
    async exportBackup(profileId: string, passphrase: string) {
      const key = await privateKeyOrNew(profileId)
      const pem = key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }).toString()
      return { keyid: toReleaseKey(key).keyid, pem }
    },

    async importBackup(profileId: string, pem: string, passphrase: string, replace: boolean): Promise<ReleaseKey> {
      let key: KeyObject
      try {
        key = createPrivateKey({ key: pem, passphrase })
      } catch {
        throw new OtaError(
          'INVALID_INPUT',
          'The backup could not be opened: the passphrase is wrong or the file is not an encrypted private key (-----BEGIN ENCRYPTED PRIVATE KEY-----).'
        )
      }
      if (key.asymmetricKeyType !== 'ed25519') throw new OtaError('INVALID_INPUT', `The backup holds an ${key.asymmetricKeyType} key; a release key is ed25519.`)
      const restored = toReleaseKey(key)
      const current = await privateKeyOf(profileId)
      if (current && toReleaseKey(current).keyid !== restored.keyid && !replace) {
        throw new OtaError('CONFLICT', `This connection already has a different release key (${toReleaseKey(current).keyid.slice(0, 12)}…); restoring replaces it.`)
      }
      await secrets.set(account(profileId), pkcs8(key))
      return restored
    }
  }
}
export type ReleaseKeys = ReturnType<typeof createReleaseKeys>
