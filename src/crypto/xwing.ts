import { createHash, createPrivateKey, createPublicKey, decapsulate, diffieHellman, encapsulate, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'

/**
 * X-Wing (draft-connolly-cfrg-xwing-kem): the hybrid KEM of ML-KEM-768 (FIPS 203) and X25519,
 * built from Node's own ML-KEM and X25519. Its shared secret is
 *   SHA3-256(ss_ML-KEM ‖ ss_X25519 ‖ ct_X25519 ‖ pk_X25519 ‖ "\.//^\")
 * so it stays secret unless both halves are broken. Keys, public keys and ciphertexts use the
 * draft's encodings (a 32-byte seed; pk_M ‖ pk_X, 1216 bytes; ct_M ‖ ct_X, 1120 bytes), so any
 * other X-Wing implementation reads them (test/crypto checks one).
 */
export const XWING = { seedBytes: 32, publicKeyBytes: 1216, ciphertextBytes: 1120, sharedSecretBytes: 32 } as const

const LABEL = Buffer.from('5c2e2f2f5e5c', 'hex')
const ML_KEM_PUBLIC = 1184
const X25519_BYTES = 32
// PKCS#8 prefixes for a key given by its raw private part: ML-KEM-768's 64-byte seed form (d ‖ z), X25519's 32 bytes.
const ML_KEM_768_SEED_PKCS8 = Buffer.from('3054020100300b060960864801650304040204428040', 'hex')
const X25519_PKCS8 = Buffer.from('302e020100300506032b656e04220420', 'hex')
// SPKI prefixes of the raw public parts.
const ML_KEM_768_SPKI = Buffer.from('308204b2300b0609608648016503040402038204a100', 'hex')
const X25519_SPKI = Buffer.from('302a300506032b656e032100', 'hex')

export interface XWingKeyPair {
  /** The private key: 32 bytes the whole key pair derives from. Never leaves its holder. */
  seed: Buffer
  publicKey: Buffer
}

interface Expanded {
  mlKem: KeyObject
  x25519: KeyObject
  x25519Public: Buffer
}

/** The draft's key derivation: SHAKE256(seed, 96) = ML-KEM seed (64) ‖ X25519 private key (32). */
function expand(seed: Buffer): Expanded {
  if (seed.length !== XWING.seedBytes) throw new Error(`an X-Wing private key is ${XWING.seedBytes} bytes, not ${seed.length}`)
  const wide = createHash('shake256', { outputLength: 96 }).update(seed).digest()
  const mlKem = createPrivateKey({ key: Buffer.concat([ML_KEM_768_SEED_PKCS8, wide.subarray(0, 64)]), format: 'der', type: 'pkcs8' })
  const x25519 = createPrivateKey({ key: Buffer.concat([X25519_PKCS8, wide.subarray(64)]), format: 'der', type: 'pkcs8' })
  return { mlKem, x25519, x25519Public: rawPublic(createPublicKey(x25519), X25519_BYTES) }
}

const rawPublic = (key: KeyObject, bytes: number) => {
  const spki = key.export({ format: 'der', type: 'spki' })
  return spki.subarray(spki.length - bytes)
}

const x25519Key = (raw: Buffer) => createPublicKey({ key: Buffer.concat([X25519_SPKI, raw]), format: 'der', type: 'spki' })

const combine = (ssM: Buffer, ssX: Buffer, ctX: Buffer, pkX: Buffer) =>
  createHash('sha3-256')
    .update(Buffer.concat([ssM, ssX, ctX, pkX, LABEL]))
    .digest()

export function xwingPublicKey(seed: Buffer): Buffer {
  const { mlKem, x25519Public } = expand(seed)
  return Buffer.concat([rawPublic(createPublicKey(mlKem), ML_KEM_PUBLIC), x25519Public])
}

export function xwingKeyPair(seed: Buffer = randomBytes(XWING.seedBytes)): XWingKeyPair {
  return { seed, publicKey: xwingPublicKey(seed) }
}

/** A fresh shared secret for the holder of `publicKey`, and the ciphertext only they can open. */
export function xwingEncapsulate(publicKey: Buffer): { sharedSecret: Buffer; ciphertext: Buffer } {
  if (publicKey.length !== XWING.publicKeyBytes) throw new Error(`an X-Wing public key is ${XWING.publicKeyBytes} bytes, not ${publicKey.length}`)
  const pkM = createPublicKey({ key: Buffer.concat([ML_KEM_768_SPKI, publicKey.subarray(0, ML_KEM_PUBLIC)]), format: 'der', type: 'spki' })
  const pkX = publicKey.subarray(ML_KEM_PUBLIC)
  const { sharedKey: ssM, ciphertext: ctM } = encapsulate(pkM)
  const ephemeral = generateKeyPairSync('x25519')
  const ctX = rawPublic(ephemeral.publicKey, X25519_BYTES)
  const ssX = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519Key(pkX) })
  return { sharedSecret: combine(ssM, ssX, ctX, pkX), ciphertext: Buffer.concat([ctM, ctX]) }
}

/** The shared secret in `ciphertext`. ML-KEM rejects implicitly: a wrong key or an altered ciphertext gives another secret, not an error. */
export function xwingDecapsulate(seed: Buffer, ciphertext: Buffer): Buffer {
  if (ciphertext.length !== XWING.ciphertextBytes) throw new Error(`an X-Wing ciphertext is ${XWING.ciphertextBytes} bytes, not ${ciphertext.length}`)
  const { mlKem, x25519, x25519Public } = expand(seed)
  const ctX = ciphertext.subarray(ciphertext.length - X25519_BYTES)
  const ssM = decapsulate(mlKem, ciphertext.subarray(0, ciphertext.length - X25519_BYTES))
  const ssX = diffieHellman({ privateKey: x25519, publicKey: x25519Key(ctX) })
  return combine(ssM, ssX, ctX, x25519Public)
}
