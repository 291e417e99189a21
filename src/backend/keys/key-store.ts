import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, webcrypto, type KeyObject } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { generateKeys, importPrivateKey, privateKeyPem, WEB_ALG, type KeyWithCrypto } from '../../crypto/x509'
import { openToken, type TokenConfig } from '../../crypto/pkcs11-token'

/** Where the backend keeps its keys: 0600 files in the keys directory (the data directory unless set; the default), or a PKCS#11 token. */
export type KeyStoreOptions = { kind: 'files' } | ({ kind: 'pkcs11' } & TokenConfig)

/**
 * A CA's key as @peculiar/x509 signs with it: the private key (on a token, a stand-in that names
 * its algorithm), the public key, and the WebCrypto whose `sign` uses the private one.
 */
export type CaKey = KeyWithCrypto

/** A signing key as the key store hands it out: the public half, and signatures made where the private half is. */
export interface Signer {
  publicKey: KeyObject
  sign(message: Buffer): Buffer
}

/**
 * Every key of the backend is asked for by name and by the file it has in the file store; a
 * token keeps it under that name as its label and ignores the file.
 */
export interface KeyStore {
  /** For the start-up line: where the keys are. */
  describe: string
  kind: KeyStoreOptions['kind']
  /** A CA's key (device-ca, tls-ca): a file beside its certificate, or the token's key of that label. */
  caKey(name: string, signature: SignatureAlgorithm, file: string): Promise<CaKey>
  /**
   * The 32-byte server key that seals uploads at rest and wraps the release data keys. AES-GCM
   * over gigabytes runs in this process, so the key is in memory; on disk it is a 0600 file, or,
   * with a token, random bytes sealed by the token's own AES key (server-key), which never leaves it.
   */
  serverKey(file: string): Buffer
  /** An Ed25519 key, made on first use; with `existing`, undefined when there is none. */
  ed25519(name: string, file: string, existing?: 'existing'): Signer | undefined
  /** A new Ed25519 key under the name; the one before stays, as name.vN (label or file), for the record. */
  replaceEd25519(name: string, file: string, retiredAs: string): Signer
  /**
   * A private key of a kind tokens do not make (ML-DSA: SoftHSM 2.6 and PKCS#11 2.40 have none):
   * a 0600 PKCS#8 file, or with a token that file sealed by the token's key, so no key is on disk
   * in the clear. It signs in this process.
   */
  privateKey(name: string, file: string, make: () => KeyObject, read: (der: Buffer) => KeyObject): Signer
  close(): void
}

export function openKeyStore(options: KeyStoreOptions): KeyStore {
  return options.kind === 'files' ? fileKeyStore() : tokenKeyStore(options)
}

const writeSecret = (file: string, data: string | Buffer) => {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  writeFileSync(file, data, { mode: 0o600, flag: 'wx' })
}
const pkcs8 = (key: KeyObject) => key.export({ format: 'der', type: 'pkcs8' })
const inProcess = (privateKey: KeyObject): Signer => ({ publicKey: createPublicKey(privateKey), sign: (message) => sign(null, message, privateKey) })
const fileSigner = (file: string) => inProcess(createPrivateKey(readFileSync(file)))

function fileKeyStore(): KeyStore {
  return {
    describe: 'files (0600, in the keys directory: the data directory unless --keys-dir)',
    kind: 'files',
    serverKey(file) {
      if (existsSync(`${file}.sealed`)) throw new Error(`${file}.sealed is sealed by a PKCS#11 token: this data directory's keys are on a token; start with --key-store pkcs11`)
      if (!existsSync(file)) writeSecret(file, randomBytes(32))
      const key = readFileSync(file)
      if (key.length !== 32) throw new Error(`${file} is not a 32-byte key`)
      return key
    },
    ed25519(_name, file, existing) {
      if (!existsSync(file)) {
        if (existing) return undefined
        writeSecret(file, generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }))
      }
      return fileSigner(file)
    },
    replaceEd25519(name, file, retiredAs) {
      if (existsSync(file)) renameSync(file, `${file}.${retiredAs}`)
      return this.ed25519(name, file)!
    },
    privateKey(_name, file, make, read) {
      if (!existsSync(file)) writeSecret(file, make().export({ format: 'pem', type: 'pkcs8' }))
      return inProcess(read(readFileSync(file)))
    },
    async caKey(_name, signature, file) {
      if (!existsSync(file)) writeSecret(file, privateKeyPem((await generateKeys(signature)).privateKey))
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

/** WebCrypto as it is, but for `sign` with this key, which goes through `sign` instead (to a token, or past the audit). */
export function signingWith(
  crypto: webcrypto.Crypto,
  key: webcrypto.CryptoKey,
  sign: (data: Buffer, algorithm: webcrypto.AlgorithmIdentifier) => Promise<Buffer>
): webcrypto.Crypto {
  const subtle = new Proxy(crypto.subtle, {
    get: (target, name) =>
      name === 'sign'
        ? async (algorithm: webcrypto.AlgorithmIdentifier, using: webcrypto.CryptoKey, data: webcrypto.BufferSource) => {
            if (using !== key) return target.sign(algorithm, using, data)
            const signature = await sign(Buffer.from(ArrayBuffer.isView(data) ? data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) : data), algorithm)
            return signature.buffer.slice(signature.byteOffset, signature.byteOffset + signature.byteLength)
          }
        : (Reflect.get(target, name) as unknown as { bind?: (t: unknown) => unknown })?.bind?.(target)
  })
  return { subtle, getRandomValues: (a) => crypto.getRandomValues(a), randomUUID: () => crypto.randomUUID() } as webcrypto.Crypto
}

function tokenKeyStore(config: TokenConfig): KeyStore {
  const token = openToken(config, { module: '--pkcs11-module', token: '--pkcs11-token', pin: 'OTA_PKCS11_PIN' })
  // Sealed values carry their file's purpose as associated data, so one cannot stand in for another.
  const sealedFile = (file: string, make: () => Buffer, purpose: string) => {
    const sealed = `${file}.sealed`
    if (!existsSync(sealed)) writeSecret(sealed, token.seal('server-key', make(), Buffer.from(purpose)))
    try {
      return token.open('server-key', readFileSync(sealed), Buffer.from(purpose))
    } catch (err) {
      throw new Error(`${sealed} was not sealed by token "${config.token}": ${(err as Error).message}`, { cause: err })
    }
  }
  const signer = (label: string): Signer => token.ed25519(label)
  return {
    describe: `PKCS#11 token "${config.token}" (${config.module}); keys are made and used there, never exported`,
    kind: 'pkcs11',
    serverKey(file) {
      // A new key would leave every upload sealed with the file's unreadable.
      if (existsSync(file))
        throw new Error(
          `${file}: this data directory's keys are files; the backend does not move them onto a token (start it without --key-store pkcs11, or with a new data directory)`
        )
      return sealedFile(file, () => randomBytes(32), 'server key')
    },
    ed25519: (name, _file, existing) => (existing && !token.has(name) ? undefined : signer(name)),
    replaceEd25519(name, _file, retiredAs) {
      token.relabel(name, `${name}.${retiredAs}`)
      return signer(name)
    },
    privateKey: (_name, file, make, read) => inProcess(read(sealedFile(file, () => pkcs8(make()), `private key ${file.split('/').pop()}`))),
    async caKey(name, signature) {
      // Tokens here (SoftHSM 2.6) have no ML-DSA: a post-quantum profile's CA cannot live on one.
      if (signature !== 'ECDSA-P256') throw new Error(`--key-store pkcs11 keeps ECDSA-P256 keys; the security profile signs with ${signature}, which the token does not offer`)
      const key = token.ecdsaP256(name)
      const standIn = { algorithm: WEB_ALG[signature], type: 'private', extractable: false, usages: ['sign'] } as unknown as webcrypto.CryptoKey
      return {
        privateKey: standIn,
        publicKey: key.publicKey.toCryptoKey(WEB_ALG[signature], true, ['verify']),
        crypto: signingWith(webcrypto, standIn, async (data) => key.sign(data))
      }
    },
    close: () => token.close()
  }
}
