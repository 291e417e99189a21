import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
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

/** The ML-DSA-65 key for the post-quantum half of a hybrid target signature. */
export function loadOrCreateMlDsa(file: string) {
  if (!existsSync(file)) writeSecret(file, Buffer.from(ml_dsa65.keygen().secretKey))
  const secretKey = new Uint8Array(readFileSync(file))
  const publicKey = ml_dsa65.getPublicKey(secretKey)
  return {
    keyid: createHash('sha256').update(publicKey).digest('hex'),
    publicKeyHex: Buffer.from(publicKey).toString('hex'),
    sign: (message: Buffer) => Buffer.from(ml_dsa65.sign(new Uint8Array(message), secretKey)).toString('hex')
  }
}
