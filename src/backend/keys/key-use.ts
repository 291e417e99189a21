import { createHash } from 'node:crypto'
import { currentActor } from '../actor'
import type { AuditLog } from '../audit'
import { signingWith, type KeyStore, type Signer } from './key-store'

/** Every wrap, unwrap and signature by a custodial key, with who caused it: the secrets-vault audit of key use. */
export type KeyUse = (use: { operation: 'wrap' | 'unwrap' | 'sign'; key: string; detail: string }) => Promise<void>

export const auditedKeyUse =
  (audit: AuditLog): KeyUse =>
  ({ operation, key, detail }) =>
    audit.record({ ...currentActor(), action: `key.${operation}`, object: key, outcome: 'ok', detail })

/** What a signature was over, short enough for the log and enough to match it to the document signed. */
const signed = (message: Uint8Array) => `${message.byteLength} bytes, sha256 ${createHash('sha256').update(message).digest('hex')}`

/**
 * Signatures are made synchronously where the signers' callers expect it (a TUF envelope, a
 * bundle manifest), so their record is written behind them; a record that fails is logged, never
 * lost silently, and never fails the signature that already exists.
 */
export function recordingSignatures(use: KeyUse, log: (line: string) => void) {
  return (key: string, message: Uint8Array) =>
    void use({ operation: 'sign', key, detail: signed(message) }).catch((err: Error) => log(`audit of a signature by ${key} not recorded: ${err.message}`))
}
export type SignatureRecorder = ReturnType<typeof recordingSignatures>

const recorded = (name: string, signer: Signer, record: SignatureRecorder): Signer => ({
  publicKey: signer.publicKey,
  sign(message) {
    const signature = signer.sign(message)
    record(name, message)
    return signature
  }
})

/** The key store, with every signature by one of its keys recorded as a use of that key. */
export function auditedKeyStore(store: KeyStore, record: SignatureRecorder): KeyStore {
  return {
    ...store,
    ed25519(name, file, existing) {
      const signer = store.ed25519(name, file, existing)
      return signer && recorded(name, signer, record)
    },
    replaceEd25519: (name, file, retiredAs) => recorded(name, store.replaceEd25519(name, file, retiredAs), record),
    privateKey: (name, file, make, read) => recorded(name, store.privateKey(name, file, make, read), record),
    async caKey(name, signature, file) {
      const key = await store.caKey(name, signature, file)
      return {
        ...key,
        crypto: signingWith(key.crypto, key.privateKey, async (data, algorithm) => {
          const made = Buffer.from(await key.crypto.subtle.sign(algorithm, key.privateKey, data))
          record(name, data)
          return made
        })
      }
    }
  }
}
