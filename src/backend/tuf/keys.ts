import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
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

const writeSecret = (file: string, data: string | Buffer) => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  writeFileSync(file, data, { mode: 0o600, flag: 'wx' })
}

/** An ed25519 key kept as a 0600 PKCS#8 file, made on first use. */
export function loadOrCreateEd25519(file: string): SigningKey {
  if (!existsSync(file)) writeSecret(file, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const privateKey = createPrivateKey(readFileSync(file))
  const key = tufKeyOf(createPublicKey(privateKey))
  return { keyid: keyIdOf(key), key, sign: (message) => sign(null, message, privateKey).toString('hex') }
}

export function newEd25519(file: string): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519')
  writeFileSync(file, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 })
  return loadOrCreateEd25519(file)
}

/**
 * PKCS#8 around a raw 4,032-byte ML-DSA-65 private key (the "expandedKey" choice of RFC 9881):
 * how the key files written before Node 24, raw as @noble/post-quantum kept them, are read now.
 * The vehicles pin the public key, so the key itself must stay.
 */
const EXPANDED_MLDSA65_PKCS8_PREFIX = Buffer.from('30820fd8020100300b060960864801650304031204820fc404820fc0', 'hex')
const EXPANDED_MLDSA65_BYTES = 4032

function readMlDsaKey(file: string): KeyObject {
  const data = readFileSync(file)
  if (data.length === EXPANDED_MLDSA65_BYTES) {
    return createPrivateKey({ key: Buffer.concat([EXPANDED_MLDSA65_PKCS8_PREFIX, data]), format: 'der', type: 'pkcs8' })
  }
  return createPrivateKey(data)
}

/** The ML-DSA-65 key for the post-quantum half of a hybrid target signature: Node's own (OpenSSL 3.5), a 0600 PKCS#8 file. */
export function loadOrCreateMlDsa(file: string) {
  if (!existsSync(file)) writeSecret(file, generateKeyPairSync('ml-dsa-65').privateKey.export({ format: 'pem', type: 'pkcs8' }))
  const privateKey = readMlDsaKey(file)
  // An ML-DSA JWK (kty AKP) carries the raw public key in `pub`, which @types/node 24 does not list yet.
  const { pub } = createPublicKey(privateKey).export({ format: 'jwk' }) as { pub: string }
  const publicKey = Buffer.from(pub, 'base64url')
  return {
    keyid: createHash('sha256').update(publicKey).digest('hex'),
    publicKeyHex: publicKey.toString('hex'),
    sign: (message: Buffer) => sign(null, message, privateKey).toString('hex')
  }
}
