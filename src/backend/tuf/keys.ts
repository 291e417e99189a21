import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, verify, type KeyObject } from 'node:crypto'
import { openKeyStore, type KeyStore, type Signer } from '../keys/key-store'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import type { TufKey } from '../../shared/tuf/metadata'

export interface SigningKey {
  keyid: string
  key: TufKey
  sign(message: Buffer): string
}

export const keyIdOf = (key: TufKey) => createHash('sha256').update(canonicalJson(key)).digest('hex')

const tufKeyOf = (publicKey: KeyObject): TufKey => ({
  keytype: 'ed25519',
  scheme: 'ed25519',
  keyval: { public: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex') }
})

export const publicKeyObject = (key: TufKey) =>
  createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.keyval.public, 'hex').toString('base64url') }, format: 'jwk' })

export const verifyEd25519 = (key: TufKey, message: Buffer, sigHex: string) => {
  try {
    return verify(null, message, publicKeyObject(key), Buffer.from(sigHex, 'hex'))
  } catch {
    return false
  }
}

/** A key store's signer as TUF names it: keyid, public key, hex signatures. */
export function tufSigner(signer: Signer): SigningKey {
  const key = tufKeyOf(signer.publicKey)
  return { keyid: keyIdOf(key), key, sign: (message) => signer.sign(message).toString('hex') }
}

/**
 * PKCS#8 around a raw 4,032-byte ML-DSA-65 private key (the "expandedKey" choice of RFC 9881):
 * how the key files written before Node 24, raw as @noble/post-quantum kept them, are read now.
 * The vehicles pin the public key, so the key itself must stay.
 */
const EXPANDED_MLDSA65_PKCS8_PREFIX = Buffer.from('30820fd8020100300b060960864801650304031204820fc404820fc0', 'hex')
const EXPANDED_MLDSA65_BYTES = 4032

/** An ML-DSA-65 private key as a file or a sealed value holds it: PEM, PKCS#8 DER, or the raw expanded key. */
export function readMlDsaKey(data: Buffer): KeyObject {
  if (data.length === EXPANDED_MLDSA65_BYTES) {
    return createPrivateKey({ key: Buffer.concat([EXPANDED_MLDSA65_PKCS8_PREFIX, data]), format: 'der', type: 'pkcs8' })
  }
  return data.subarray(0, 5).toString() === '-----' ? createPrivateKey(data) : createPrivateKey({ key: data, format: 'der', type: 'pkcs8' })
}

export const newMlDsaKey = () => generateKeyPairSync('ml-dsa-65').privateKey

/** The ML-DSA-65 key of this file, made on first use, kept by the key store (a 0600 file by default). */
export const loadOrCreateMlDsa = (file: string, keyStore: KeyStore = openKeyStore({ kind: 'files' })) =>
  mlDsaSigner(keyStore.privateKey('tuf-mldsa65', file, newMlDsaKey, readMlDsaKey))

/** The ML-DSA-65 key for the post-quantum half of a hybrid target signature: Node's own (OpenSSL 3.5). */
export function mlDsaSigner(signer: Signer) {
  // An ML-DSA JWK (kty AKP) carries the raw public key in `pub`, which @types/node 24 does not list yet.
  const { pub } = signer.publicKey.export({ format: 'jwk' }) as { pub: string }
  const publicKey = Buffer.from(pub, 'base64url')
  return {
    keyid: createHash('sha256').update(publicKey).digest('hex'),
    publicKeyHex: publicKey.toString('hex'),
    sign: (message: Buffer) => signer.sign(message).toString('hex')
  }
}
