import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import type { TufKey } from '../../shared/tuf/metadata'

/** TUF's key id: the sha256 of the key's canonical JSON. */
export const keyIdOf = (key: TufKey) => createHash('sha256').update(canonicalJson(key)).digest('hex')

export const tufKeyOf = (publicKey: KeyObject): TufKey => ({
  keytype: 'ed25519',
  scheme: 'ed25519',
  keyval: { public: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex') }
})

const publicKeyObject = (key: TufKey) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.keyval.public, 'hex').toString('base64url') }, format: 'jwk' })

/** A TUF signature (hex) over the canonical JSON of `signed`. */
export const signCanonical = (privateKey: KeyObject, signed: unknown) => sign(null, Buffer.from(canonicalJson(signed)), privateKey).toString('hex')

export function verifyCanonical(key: TufKey, signed: unknown, sigHex: string) {
  try {
    return verify(null, Buffer.from(canonicalJson(signed)), publicKeyObject(key), Buffer.from(sigHex, 'hex'))
  } catch {
    return false
  }
}
