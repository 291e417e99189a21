import { createPublicKey, webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { generateKeys, importPrivateKey, privateKeyPem, WEB_ALG } from '../../crypto/x509'
import { openToken, type TokenConfig } from './pkcs11-token'

/** Where the backend keeps its keys: 0600 files in the data directory (the default), or a PKCS#11 token. */
export type KeyStoreOptions = { kind: 'files' } | ({ kind: 'pkcs11' } & TokenConfig)

/**
 * A CA's key as @peculiar/x509 signs with it: the private key (on a token, a stand-in that names
 * its algorithm), the public key, and the WebCrypto whose `sign` uses the private one.
 */
export interface CaKey {
  privateKey: webcrypto.CryptoKey
  publicKey: webcrypto.CryptoKey
  crypto: webcrypto.Crypto
}

export interface KeyStore {
  /** For the start-up line: where the keys are. */
  describe: string
  /** The device CA's key: a file beside its certificate, or the token's key labelled device-ca. */
  deviceCaKey(signature: SignatureAlgorithm, file: string): Promise<CaKey>
  close(): void
}

export function openKeyStore(options: KeyStoreOptions): KeyStore {
  return options.kind === 'files' ? fileKeyStore() : tokenKeyStore(options)
}

function fileKeyStore(): KeyStore {
  return {
    describe: 'files (0600, in the data directory)',
    async deviceCaKey(signature, file) {
      if (!existsSync(file)) {
        const keys = await generateKeys(signature)
        mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
        writeFileSync(file, privateKeyPem(keys.privateKey), { mode: 0o600, flag: 'wx' })
      }
      const pem = readFileSync(file, 'utf8')
      return {
        privateKey: await importPrivateKey(pem, signature),
        publicKey: createPublicKey(pem).toCryptoKey(WEB_ALG[signature], true, ['verify']),
        crypto: webcrypto
      }
    },
    close() {}
  }
}

/** WebCrypto as it is, but for `sign` with the stand-in key, which the token does. */
function signingThrough(standIn: webcrypto.CryptoKey, sign: (data: Buffer) => Buffer): webcrypto.Crypto {
  const subtle = new Proxy(webcrypto.subtle, {
    get: (target, name) =>
      name === 'sign'
        ? async (algorithm: webcrypto.AlgorithmIdentifier, key: webcrypto.CryptoKey, data: webcrypto.BufferSource) => {
            if (key !== standIn) return target.sign(algorithm, key, data)
            const signature = sign(Buffer.from(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data))
            return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength)
          }
        : (Reflect.get(target, name) as unknown as { bind?: (t: unknown) => unknown })?.bind?.(target)
  })
  return { subtle, getRandomValues: (a) => webcrypto.getRandomValues(a), randomUUID: () => webcrypto.randomUUID() } as webcrypto.Crypto
}

function tokenKeyStore(config: TokenConfig): KeyStore {
  const token = openToken(config)
  return {
    describe: `PKCS#11 token "${config.token}" (${config.module}); keys are made and used there, never exported`,
    async deviceCaKey(signature) {
      // Tokens here (SoftHSM 2.6) have no ML-DSA: a post-quantum profile's CA cannot live on one.
      if (signature !== 'ECDSA-P256') throw new Error(`--key-store pkcs11 keeps ECDSA-P256 keys; the security profile signs with ${signature}, which the token does not offer`)
      const key = token.ecdsaP256('device-ca')
      const standIn = { algorithm: WEB_ALG[signature], type: 'private', extractable: false, usages: ['sign'] } as unknown as webcrypto.CryptoKey
      return { privateKey: standIn, publicKey: key.publicKey.toCryptoKey(WEB_ALG[signature], true, ['verify']), crypto: signingThrough(standIn, key.sign) }
    },
    close: () => token.close()
  }
}
