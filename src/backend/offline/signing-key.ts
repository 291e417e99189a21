import { createPrivateKey, createPublicKey, hkdfSync, sign } from 'node:crypto'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import type { TufKey } from '../../shared/tuf/metadata'
import { keyIdOf } from '../tuf/keys'
import type { SignatureRecorder } from '../keys/key-use'

// PKCS#8 DER of an ed25519 private key is this prefix followed by the 32-byte seed (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

/**
 * The ed25519 key that signs offline bundles, derived from the server key with its own HKDF
 * label: nothing more to store or back up, and it changes only when the server key does (which
 * already makes every sealed blob unreadable). Workshop consoles pin its public half.
 */
export function offlineSigningKey(serverKey: Buffer, record: SignatureRecorder) {
  const seed = Buffer.from(hkdfSync('sha256', serverKey, Buffer.alloc(0), 'ota offline bundle signing key v1', 32))
  const privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' })
  const raw = Buffer.from(createPublicKey(privateKey).export({ format: 'jwk' }).x!, 'base64url')
  const key: TufKey = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: raw.toString('hex') } }
  return {
    keyid: keyIdOf(key),
    key,
    /** A signature (hex) over the canonical JSON of `signed`, as TUF envelopes carry it. */
    sign(signed: unknown) {
      const message = Buffer.from(canonicalJson(signed))
      const signature = sign(null, message, privateKey).toString('hex')
      record('offline-bundle-key', message)
      return signature
    }
  }
}
export type OfflineSigningKey = ReturnType<typeof offlineSigningKey>
