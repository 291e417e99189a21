import { createHash, createPublicKey, verify } from 'node:crypto'
import type { z } from 'zod'
import { canonicalJson } from '../shared/tuf/canonical-json'
import { pqMessage, SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp, type RoleName, type TargetInfo, type TufKey } from '../shared/tuf/metadata'

/** An ML-DSA-65 signature (hex) over `message` by the raw public key (hex), with Node's own ML-DSA; a malformed key or signature is a refusal. */
export function verifyMlDsa65(publicKeyHex: string, message: Buffer, sigHex: string): boolean {
  try {
    const key = createPublicKey({ key: { kty: 'AKP', alg: 'ML-DSA-65', pub: Buffer.from(publicKeyHex, 'hex').toString('base64url') }, format: 'jwk' })
    return verify(null, message, key, Buffer.from(sigHex, 'hex'))
  } catch {
    return false
  }
}

/** Why a vehicle refused an update; each maps to a failure cause it reports. */
export class VerificationError extends Error {
  constructor(
    override readonly cause: 'signature-invalid' | 'metadata-expired' | 'rollback-refused' | 'hash-mismatch',
    message: string
  ) {
    super(message)
  }
}

type Root = z.infer<typeof SignedRoot>
type Envelope = { signed: { version: number; expires: string; _type: string }; signatures: { keyid: string; sig: string }[] }

const keyObject = (key: TufKey) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(key.keyval.public, 'hex').toString('base64url') }, format: 'jwk' })

function checkSigned(root: Root['signed'], role: RoleName, env: Envelope) {
  const spec = root.roles[role]
  const bytes = Buffer.from(canonicalJson(env.signed))
  const good = new Set(
    env.signatures
      .filter((s) => {
        const key = root.keys[s.keyid]
        if (!key || !spec.keyids.includes(s.keyid)) return false
        try {
          return verify(null, bytes, keyObject(key), Buffer.from(s.sig, 'hex'))
        } catch {
          return false
        }
      })
      .map((s) => s.keyid)
  )
  if (good.size < spec.threshold) throw new VerificationError('signature-invalid', `${role} metadata v${env.signed.version} lacks ${spec.threshold} valid signature(s)`)
}

const checkFresh = (env: Envelope, now: number) => {
  if (Date.parse(env.signed.expires) <= now) throw new VerificationError('metadata-expired', `${env.signed._type} metadata expired at ${env.signed.expires}`)
}

const parse = <S extends z.ZodType>(schema: S, json: unknown, what: string): z.output<S> => {
  const r = schema.safeParse(json)
  if (!r.success) throw new VerificationError('signature-invalid', `${what} is not TUF metadata: ${r.error.issues[0]?.message}`)
  return r.data
}

export interface TufState {
  root: Root
  timestampVersion: number
  snapshotVersion: number
  targetsVersion: number
}

/**
 * The vehicle side of TUF 1.0 (client workflow §5): walk the root chain, then timestamp →
 * snapshot → targets, refusing bad signatures, expired metadata and version rollbacks, and
 * checking a target's length, sha256 and (when configured) its ML-DSA-65 signature.
 */
export function createTufClient(opts: { fetchMetadata: (name: string) => Promise<unknown>; trustedRoot: Root; pqPublicKey?: string; now?: () => number }) {
  const now = opts.now ?? Date.now
  const state: TufState = { root: opts.trustedRoot, timestampVersion: 0, snapshotVersion: 0, targetsVersion: 0 }
  let targets: Record<string, TargetInfo> = {}

  async function refresh() {
    for (;;) {
      const next = await opts.fetchMetadata(`${state.root.signed.version + 1}.root.json`)
      if (!next) break
      const root = parse(SignedRoot, next, 'root')
      checkSigned(state.root.signed, 'root', root as Envelope)
      checkSigned(root.signed, 'root', root as Envelope)
      if (root.signed.version !== state.root.signed.version + 1) throw new VerificationError('rollback-refused', `root version ${root.signed.version} out of order`)
      state.root = root
    }
    checkFresh(state.root as Envelope, now())

    const ts = parse(SignedTimestamp, await opts.fetchMetadata('timestamp.json'), 'timestamp')
    checkSigned(state.root.signed, 'timestamp', ts as Envelope)
    if (ts.signed.version < state.timestampVersion) throw new VerificationError('rollback-refused', `timestamp v${ts.signed.version} is older than v${state.timestampVersion}`)
    checkFresh(ts as Envelope, now())
    const snapVersion = ts.signed.meta['snapshot.json'].version
    if (snapVersion < state.snapshotVersion) throw new VerificationError('rollback-refused', `snapshot v${snapVersion} is older than v${state.snapshotVersion}`)

    const snap = parse(SignedSnapshot, await opts.fetchMetadata(`${snapVersion}.snapshot.json`), 'snapshot')
    checkSigned(state.root.signed, 'snapshot', snap as Envelope)
    if (snap.signed.version !== snapVersion) throw new VerificationError('signature-invalid', 'snapshot version differs from the timestamp')
    checkFresh(snap as Envelope, now())
    const targetsVersion = snap.signed.meta['targets.json']?.version ?? 0
    if (targetsVersion < state.targetsVersion) throw new VerificationError('rollback-refused', `targets v${targetsVersion} is older than v${state.targetsVersion}`)

    const tg = parse(SignedTargets, await opts.fetchMetadata(`${targetsVersion}.targets.json`), 'targets')
    checkSigned(state.root.signed, 'targets', tg as Envelope)
    if (tg.signed.version !== targetsVersion) throw new VerificationError('signature-invalid', 'targets version differs from the snapshot')
    checkFresh(tg as Envelope, now())

    Object.assign(state, { timestampVersion: ts.signed.version, snapshotVersion: snapVersion, targetsVersion })
    targets = tg.signed.targets
  }

  return {
    state,
    refresh,
    target: (path: string) => targets[path],
    /** Checks downloaded bytes against the signed target: length, sha256, and ML-DSA-65 when required. */
    verifyTarget(path: string, bytes: Buffer) {
      const info = targets[path]
      if (!info) throw new VerificationError('signature-invalid', `${path} is not in the signed targets`)
      if (bytes.length !== info.length) throw new VerificationError('hash-mismatch', `${path}: ${bytes.length} bytes, signed length ${info.length}`)
      if (createHash('sha256').update(bytes).digest('hex') !== info.hashes.sha256) throw new VerificationError('hash-mismatch', `${path}: sha256 differs from the signed one`)
      if (opts.pqPublicKey) {
        const pq = info.custom?.mldsa65
        const message = Buffer.from(canonicalJson(pqMessage(path, info.length, info.hashes.sha256)))
        if (!pq || !verifyMlDsa65(opts.pqPublicKey, message, pq.sig)) {
          throw new VerificationError('signature-invalid', `${path}: the ML-DSA-65 signature does not verify`)
        }
      }
      return info
    }
  }
}
