// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata'
import { createPrivateKey, createPublicKey, KeyObject, webcrypto } from 'node:crypto'
import * as x509 from '@peculiar/x509'
import type { SignatureAlgorithm } from '../shared/security-profiles'

// Node's WebCrypto is the one @peculiar/x509 expects; its type differs by name only from the DOM's (a program may see both).
x509.cryptoProvider.set(webcrypto as never)

export { x509 }

/** One WebCrypto algorithm object per certificate signature: it generates, imports and signs. */
export const WEB_ALG: Record<SignatureAlgorithm, { name: string; namedCurve?: string; hash?: string }> = {
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'ML-DSA-44': { name: 'ML-DSA-44' },
  'ML-DSA-65': { name: 'ML-DSA-65' },
  'ML-DSA-87': { name: 'ML-DSA-87' }
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** 16 random bytes, positive as DER wants a serial to be, and with no leading zero, so it reads the same everywhere (Node's peer certificate drops one). */
export const randomSerial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[089a-f]/, '1')

export const generateKeys = (signature: SignatureAlgorithm) => webcrypto.subtle.generateKey(WEB_ALG[signature], true, ['sign', 'verify']) as Promise<webcrypto.CryptoKeyPair>

export const privateKeyPem = (key: webcrypto.CryptoKey) => KeyObject.from(key).export({ type: 'pkcs8', format: 'pem' }).toString()

export const importPrivateKey = (pem: string, signature: SignatureAlgorithm) => createPrivateKey(pem).toCryptoKey(WEB_ALG[signature], false, ['sign'])
/** The signature algorithm of a public key, in the profiles' names, or what it is instead. */
export function keyAlgorithm(key: KeyObject): SignatureAlgorithm | string {
  const type = key.asymmetricKeyType ?? 'unknown'
  if (type === 'ec') return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ECDSA-P256' : `ECDSA-${key.asymmetricKeyDetails?.namedCurve}`
  return type.toUpperCase()
}

const requestPem = async (cn: string, keys: webcrypto.CryptoKeyPair, signingAlgorithm: { name: string; hash?: string }) =>
  (await x509.Pkcs10CertificateRequestGenerator.create({ name: `CN=${cn}`, keys: keys as never, signingAlgorithm })).toString('pem') + '\n'

/** A key pair made here and a PKCS#10 request for it naming `cn`: the key never leaves its maker. */
export async function certificateRequest(cn: string, signature: SignatureAlgorithm) {
  const keys = await generateKeys(signature)
  return { keyPem: privateKeyPem(keys.privateKey), csrPem: await requestPem(cn, keys, WEB_ALG[signature]) }
}

/** A PKCS#10 request for an ed25519 key already held (a workshop console's signing key). */
export function ed25519Request(cn: string, privateKey: KeyObject) {
  const keys = {
    privateKey: privateKey.toCryptoKey('Ed25519', false, ['sign']),
    publicKey: createPublicKey(privateKey).toCryptoKey('Ed25519', true, ['verify'])
  } as webcrypto.CryptoKeyPair
  return requestPem(cn, keys, { name: 'Ed25519' })
}

/** A key that signs through the given WebCrypto: Node's own, or one whose `sign` a PKCS#11 token does. */
export interface KeyWithCrypto {
  privateKey: webcrypto.CryptoKey
  publicKey: webcrypto.CryptoKey
  crypto: webcrypto.Crypto
}

/** A self-signed CA certificate of ten years, issuing end-entity certificates only (path length 0). */
export async function selfSignedCa(name: string, signature: SignatureAlgorithm, key: KeyWithCrypto) {
  return x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name,
      notBefore: new Date(Date.now() - DAY_MS),
      notAfter: new Date(Date.now() + 3650 * DAY_MS),
      signingAlgorithm: WEB_ALG[signature],
      keys: { privateKey: key.privateKey, publicKey: key.publicKey } as never,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(key.publicKey as never)
      ]
    },
    key.crypto as never
  )
}
