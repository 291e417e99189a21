import { createHash, createPublicKey, randomBytes, type KeyObject } from 'node:crypto'
import * as graphene from 'graphene-pk11'

/** A PKCS#11 token: the module that drives it, the token's label, and its user PIN. */
export interface TokenConfig {
  module: string
  token: string
  pin: string
}

/** How the user gave each part of the config (a flag, a setting), so an error names what to fix. */
export interface TokenConfigNames {
  module: string
  token: string
  /** Where the PIN came from, when that helps: an environment variable, the keychain. */
  pin?: string
}
const SETTING_NAMES: TokenConfigNames = { module: 'module', token: 'token' }

// PKCS#11 3.0 numbers that graphene's enums predate (SoftHSM 2.6 implements them).
const CKM_EC_EDWARDS_KEY_PAIR_GEN = 0x1055
const CKM_EDDSA = 0x1057
const CKK_EC_EDWARDS = 0x40
/** DER OIDs of the curves, as CKA_EC_PARAMS holds them. */
const P256 = Buffer.from('06082a8648ce3d030107', 'hex')
const ED25519 = Buffer.from('06032b6570', 'hex')
/** SPKI prefixes before the raw public point: P-256 (uncompressed, 65 bytes) and Ed25519 (32 bytes). */
const P256_SPKI = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex')
const ED25519_SPKI = Buffer.from('302a300506032b6570032100', 'hex')

/** CKA_EC_POINT is the point wrapped in a DER OCTET STRING; this is the point. */
function unwrapPoint(der: Buffer) {
  if (der[0] !== 0x04) return der
  const long = der[1]! & 0x80
  return der.subarray(long ? 2 + (der[1]! & 0x7f) : 2)
}

/**
 * A module is loaded and initialised once per process, however many tokens or sessions use it:
 * C_Finalize would end every other user's sessions. The last to let go finalises it.
 */
const modules = new Map<string, { module: graphene.Module; users: number }>()

function loadModule(path: string, name: string) {
  const known = modules.get(path)
  if (known) return (known.users++, known.module)
  let module: graphene.Module
  try {
    module = graphene.Module.load(path, 'pkcs11')
    module.initialize()
  } catch (err) {
    throw new Error(`${name} ${path} could not be loaded as a PKCS#11 module: ${(err as Error).message}`, { cause: err })
  }
  modules.set(path, { module, users: 1 })
  return module
}

function releaseModule(path: string) {
  const known = modules.get(path)
  if (!known || --known.users > 0) return
  modules.delete(path)
  known.module.finalize()
}

/** A PKCS#11 private or secret key found on the token; nothing of it leaves the token. */
type TokenKey = graphene.Key | graphene.PrivateKey | graphene.SecretKey

/**
 * One logged-in session with the token, and the keys kept there, each found by its label or made
 * on the token on first use: non-extractable and sensitive, so their values can never be read
 * out, only used through the token (AES-256-GCM seal and open, ECDSA P-256 and Ed25519 signatures).
 */
export function openToken(config: TokenConfig, names: TokenConfigNames = SETTING_NAMES) {
  const module = loadModule(config.module, names.module)
  const slots = module.getSlots(true)
  const labels: string[] = []
  let slot: graphene.Slot | undefined
  for (let i = 0; i < slots.length; i++) {
    const label = slots.items(i).getToken().label.trim()
    // SoftHSM keeps one uninitialised slot, with no label, for the next token.
    if (label) labels.push(label)
    if (label === config.token) slot = slots.items(i)
  }
  if (!slot) {
    releaseModule(config.module)
    throw new Error(`${names.token} "${config.token}": ${config.module} has no such token (it has: ${labels.map((l) => `"${l}"`).join(', ') || 'none'})`)
  }
  const session = slot.open(graphene.SessionFlag.SERIAL_SESSION | graphene.SessionFlag.RW_SESSION)
  try {
    session.login(config.pin, graphene.UserType.USER)
  } catch (err) {
    // A login holds for every session of this process with the token (PKCS#11 logs applications in, not sessions).
    if (!/CKR_USER_ALREADY_LOGGED_IN/.test((err as Error).message)) {
      session.close()
      releaseModule(config.module)
      throw new Error(`token "${config.token}" refused the PIN${names.pin ? ` (${names.pin})` : ''}: ${(err as Error).message}`, { cause: err })
    }
  }

  const find = (objectClass: graphene.ObjectClass, label: string) => {
    const found = session.find({ class: objectClass, label })
    return found.length ? found.items(0) : undefined
  }
  const privateTemplate = (label: string) => ({ label, token: true, private: true, sensitive: true, extractable: false, sign: true })

  function secretKey(label: string): TokenKey {
    const existing = find(graphene.ObjectClass.SECRET_KEY, label)
    if (existing) return existing.toType<graphene.SecretKey>()
    return session.generateKey(graphene.KeyGenMechanism.AES, {
      keyType: graphene.KeyType.AES,
      valueLen: 32,
      label,
      token: true,
      private: true,
      sensitive: true,
      extractable: false,
      encrypt: true,
      decrypt: true
    })
  }

  function keyPair(label: string, curve: 'P-256' | 'Ed25519'): { privateKey: TokenKey; publicKey: KeyObject } {
    let privateKey = find(graphene.ObjectClass.PRIVATE_KEY, label)?.toType<graphene.PrivateKey>()
    let publicKey = find(graphene.ObjectClass.PUBLIC_KEY, label)?.toType<graphene.PublicKey>()
    if (!privateKey || !publicKey) {
      const made =
        curve === 'P-256'
          ? session.generateKeyPair(
              graphene.KeyGenMechanism.EC,
              { keyType: graphene.KeyType.EC, paramsEC: P256, label, token: true, verify: true },
              { keyType: graphene.KeyType.EC, ...privateTemplate(label) }
            )
          : session.generateKeyPair(
              CKM_EC_EDWARDS_KEY_PAIR_GEN as unknown as graphene.MechanismType,
              { keyType: CKK_EC_EDWARDS, paramsEC: ED25519, label, token: true, verify: true },
              { keyType: CKK_EC_EDWARDS, ...privateTemplate(label) }
            )
      privateKey = made.privateKey
      publicKey = made.publicKey
    }
    const point = unwrapPoint(publicKey.getAttribute({ pointEC: null }).pointEC!)
    const spki = Buffer.concat([curve === 'P-256' ? P256_SPKI : ED25519_SPKI, point])
    return { privateKey, publicKey: createPublicKey({ key: spki, format: 'der', type: 'spki' }) }
  }

  return {
    label: config.token,
    /** AES-256-GCM under the named secret key: 12-byte IV, ciphertext, 16-byte tag. */
    seal(keyLabel: string, plain: Buffer, aad = Buffer.alloc(0)) {
      const iv = randomBytes(12)
      const cipher = session.createCipher({ name: 'AES_GCM', params: new graphene.AesGcmParams(iv, aad, 128) }, secretKey(keyLabel))
      return Buffer.concat([iv, cipher.once(plain, Buffer.alloc(plain.length + 16))])
    },
    open(keyLabel: string, sealed: Buffer, aad = Buffer.alloc(0)) {
      const decipher = session.createDecipher({ name: 'AES_GCM', params: new graphene.AesGcmParams(sealed.subarray(0, 12), aad, 128) }, secretKey(keyLabel))
      return decipher.once(sealed.subarray(12), Buffer.alloc(sealed.length))
    },
    /** An ECDSA P-256 key: its public half, and raw r‖s signatures over SHA-256 of the data (what WebCrypto answers). */
    ecdsaP256(keyLabel: string) {
      const { privateKey, publicKey } = keyPair(keyLabel, 'P-256')
      return { publicKey, sign: (data: Buffer) => session.createSign('ECDSA', privateKey).once(createHash('sha256').update(data).digest()) }
    },
    /** An Ed25519 key: its public half, and signatures over the message itself. */
    ed25519(keyLabel: string) {
      const { privateKey, publicKey } = keyPair(keyLabel, 'Ed25519')
      return { publicKey, sign: (message: Buffer) => session.createSign(CKM_EDDSA as unknown as graphene.MechanismType, privateKey).once(message) }
    },
    /** Whether a key pair of this label is on the token. */
    has: (keyLabel: string) => !!find(graphene.ObjectClass.PRIVATE_KEY, keyLabel),
    /** Gives a key pair another label, so a new one can take the name and the old one stays on record. */
    relabel(from: string, to: string) {
      for (const objectClass of [graphene.ObjectClass.PRIVATE_KEY, graphene.ObjectClass.PUBLIC_KEY]) find(objectClass, from)?.setAttribute({ label: to })
    },
    /** The labels of the keys on the token, for a test or an operator to see what is there. */
    labels() {
      const all = session.find({ token: true })
      return Array.from({ length: all.length }, (_, i) => all.items(i).getAttribute({ label: null }).label!)
    },
    close() {
      session.close()
      releaseModule(config.module)
    }
  }
}
export type Token = ReturnType<typeof openToken>
