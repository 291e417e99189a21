import type { z } from 'zod'
import { OtaError } from '../../shared/errors'
import { answerAs } from '../../shared/http/client'
import { SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp } from '../../shared/tuf/metadata'
import type { BackendClient } from '../backend/backend-client'
import { verifyCanonical } from './ed25519'
import type { Targets } from './targets-review'

/** What vehicles trust now: the backend's root, and the targets metadata they would read. */
export interface TrustView {
  root: SignedRoot
  current: SignedTargets
  /** The entries the current targets vouch for, if they carry a valid signature by root's targets key; else none. */
  trusted: Targets
}

const signedByTargetsRole = (root: SignedRoot, env: SignedTargets) => {
  const role = root.signed.roles.targets
  const valid = new Set(
    env.signatures.filter((s) => role.keyids.includes(s.keyid) && root.signed.keys[s.keyid] && verifyCanonical(root.signed.keys[s.keyid]!, env.signed, s.sig)).map((s) => s.keyid)
  )
  return valid.size >= role.threshold
}

/** One TUF file, checked against its role's schema. */
const metadata = async <S extends z.ZodType>(client: BackendClient, file: string, schema: S) => answerAs(schema, await client.tuf.metadata({ file }), `tuf.metadata (${file})`)

/** Reads root, and targets through timestamp and snapshot, as a vehicle would find them. */
async function readTrust(client: BackendClient): Promise<TrustView> {
  const root = await metadata(client, 'root.json', SignedRoot)
  const timestamp = await metadata(client, 'timestamp.json', SignedTimestamp)
  const snapshot = await metadata(client, `${timestamp.signed.meta['snapshot.json'].version}.snapshot.json`, SignedSnapshot)
  const current = await metadata(client, `${snapshot.signed.meta['targets.json']?.version ?? 1}.targets.json`, SignedTargets)
  return trustView(root, current)
}

// Entries not signed by the key root names (after a rotation, before the first signature) are
// reviewed again as new rather than taken on the backend's word.
const trustView = (root: SignedRoot, current: SignedTargets): TrustView => ({ root, current, trusted: signedByTargetsRole(root, current) ? current.signed.targets : {} })

/** What vehicles trust now and, for a role that may sign, the next targets the backend proposes (every published release), unsigned. */
export interface SigningState {
  trust: TrustView
  draft: SignedTargets['signed'] | null
  /** Why there is no draft: the backend's refusal of this role. */
  refusal: OtaError | null
}

/**
 * Root, current targets and draft in one request (the signing-state route). A role that may
 * not sign gets the view vehicles have, read file by file, and the refusal instead of a draft.
 */
export async function readSigningState(client: BackendClient): Promise<SigningState> {
  try {
    const { root, targets, draft } = await client.tuf.signingState()
    return { trust: trustView(root, targets), draft, refusal: null }
  } catch (err) {
    if (!(err instanceof OtaError) || err.code !== 'FORBIDDEN') throw err
    return { trust: await readTrust(client), draft: null, refusal: err }
  }
}

export const targetsKeyIds = (root: SignedRoot) => root.signed.roles.targets.keyids
