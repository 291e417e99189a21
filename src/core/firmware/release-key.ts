import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { z } from 'zod'
import { ReleaseKeyToken, type ReleaseKeyLocation } from '../../shared/calls/firmware'
import { OtaError } from '../../shared/errors'
import type { TufKey } from '../../shared/tuf/metadata'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import { openToken, type TokenConfig } from '../../crypto/pkcs11-token'
import type { SecretStore } from '../secrets/secret-store'
import { keyIdOf, signCanonical, tufKeyOf, verifyCanonical } from './ed25519'
import { checkedModule } from './pkcs11-module'

/**
 * One release key per connection profile: a key signs for one fleet's TUF root, and a key shared
 * between fleets (a sandbox and production) would let targets signed in one be replayed to the
 * other's vehicles by a compromised server.
 */
const account = (profileId: string) => `profile/${profileId}/release-key`
/** Where the key is when it is on a token, with the token's PIN: a secret, so in the keychain too. */
const tokenAccount = (profileId: string) => `profile/${profileId}/release-key-token`
const StoredToken = ReleaseKeyToken.extend({ pin: z.string() })
type StoredToken = z.infer<typeof StoredToken>

export interface ReleaseKey {
  keyid: string
  publicKey: TufKey
  publicPem: string
  /** A TUF signature over the canonical JSON of `signed`. */
  sign(signed: unknown): string
}

const releaseKeyOf = (publicKeyObject: KeyObject, sign: ReleaseKey['sign']): ReleaseKey => {
  const publicKey = tufKeyOf(publicKeyObject)
  return { keyid: keyIdOf(publicKey), publicKey, publicPem: publicKeyObject.export({ format: 'pem', type: 'spki' }).toString(), sign }
}
const toReleaseKey = (privateKey: KeyObject) => releaseKeyOf(createPublicKey(privateKey), (signed) => signCanonical(privateKey, signed))

/** A token's PKCS#11 error, as the user who typed the settings can act on it. */
function usingToken<T>(config: TokenConfig, use: (token: ReturnType<typeof openToken>) => T): T {
  let token: ReturnType<typeof openToken>
  try {
    token = openToken(config)
  } catch (err) {
    throw new OtaError('INVALID_INPUT', `The release key's token cannot be used: ${(err as Error).message}`)
  }
  try {
    return use(token)
  } finally {
    token.close()
  }
}

/**
 * The key on the token: its public half read once, and each signature made by the token in a
 * session of its own, so the card may be taken out between two signatures.
 */
function tokenReleaseKey(stored: StoredToken, make: boolean): ReleaseKey | null {
  // Checked at every use, not once: the library file may change after it was chosen.
  const config = () => ({ module: checkedModule(stored.module), token: stored.token, pin: stored.pin })
  const publicKey = usingToken(config(), (token) => (make || token.has(stored.label) ? token.ed25519(stored.label).publicKey : null))
  if (!publicKey) return null
  return releaseKeyOf(publicKey, (signed) =>
    usingToken(config(), (token) =>
      token
        .ed25519(stored.label)
        .sign(Buffer.from(canonicalJson(signed)))
        .toString('hex')
    )
  )
}

const locationOf = (stored: StoredToken | null): ReleaseKeyLocation =>
  stored ? { kind: 'token', module: stored.module, token: stored.token, label: stored.label } : { kind: 'keychain' }

const pkcs8 = (privateKey: KeyObject) => privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()

/**
 * The ed25519 release key: in the OS keychain, made on first use, whose private half leaves the
 * keychain only inside this module (to sign, or as a passphrase-encrypted backup); or on a
 * PKCS#11 token, which it never leaves.
 */
export function createReleaseKeys(secrets: SecretStore) {
  const tokenOf = async (profileId: string) => {
    const json = await secrets.get(tokenAccount(profileId))
    return json === null ? null : StoredToken.parse(JSON.parse(json))
  }
  /** A backup is of a keychain key; a token's key has none to give, and restoring one while on a token would not be used. */
  const refusedOnToken = async (profileId: string, what: string) => {
    const stored = await tokenOf(profileId)
    if (stored) {
      throw new OtaError(
        'CONFLICT',
        `${what}: this connection signs with key "${stored.label}" on token "${stored.token}", which never leaves the token. Keep a second token with the same key instead, or sign with the keychain's key again first.`
      )
    }
  }

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
    location: async (profileId: string) => locationOf(await tokenOf(profileId)),

    async load(profileId: string): Promise<ReleaseKey | null> {
      const stored = await tokenOf(profileId)
      if (stored) return tokenReleaseKey(stored, false)
      const key = await privateKeyOf(profileId)
      return key && toReleaseKey(key)
    },

    async loadOrCreate(profileId: string): Promise<ReleaseKey> {
      const stored = await tokenOf(profileId)
      return stored ? tokenReleaseKey(stored, true)! : toReleaseKey(await privateKeyOrNew(profileId))
    },

    /**
     * Signs with the token's key of that label from now on (made on the token when there is
     * none), once a test signature by it verifies; only then are the settings and PIN kept.
     */
    async useToken(profileId: string, settings: StoredToken): Promise<ReleaseKey> {
      const stored = StoredToken.parse(settings)
      const key = tokenReleaseKey(stored, true)!
      const probe = { purpose: 'release key check', at: new Date().toISOString() }
      if (!verifyCanonical(key.publicKey, probe, key.sign(probe))) {
        throw new OtaError('INVALID_INPUT', `Key "${stored.label}" on token "${stored.token}" made a signature its own public key does not verify; it is not used.`)
      }
      await secrets.set(tokenAccount(profileId), JSON.stringify(stored))
      return key
    },

    useKeychain: (profileId: string) => secrets.delete(tokenAccount(profileId)),

    /** PKCS#8 encrypted with the passphrase (PBES2, AES-256-CBC): `openssl pkey` reads it too. */
    async exportBackup(profileId: string, passphrase: string) {
      await refusedOnToken(profileId, 'No backup file is made')
      const key = await privateKeyOrNew(profileId)
      const pem = key.export({ format: 'pem', type: 'pkcs8', cipher: 'aes-256-cbc', passphrase }).toString()
      return { keyid: toReleaseKey(key).keyid, pem }
    },

    async importBackup(profileId: string, pem: string, passphrase: string, replace: boolean): Promise<ReleaseKey> {
      await refusedOnToken(profileId, 'The backup is not restored')
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
