import type { z } from 'zod'
import { answerAs } from '../../shared/http/client'
import { SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp, TargetsSigned } from '../../shared/tuf/metadata'
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
export async function readTrust(client: BackendClient): Promise<TrustView> {
  const root = await metadata(client, 'root.json', SignedRoot)
  const timestamp = await metadata(client, 'timestamp.json', SignedTimestamp)
  const snapshot = await metadata(client, `${timestamp.signed.meta['snapshot.json'].version}.snapshot.json`, SignedSnapshot)
  const current = await metadata(client, `${snapshot.signed.meta['targets.json']?.version ?? 1}.targets.json`, SignedTargets)
  // Entries not signed by the key root names (after a rotation, before the first signature)
  // are reviewed again as new rather than taken on the backend's word.
  return { root, current, trusted: signedByTargetsRole(root, current) ? current.signed.targets : {} }
}

/** The next targets the backend proposes (every published release), unsigned. */
export const readDraft = async (client: BackendClient) => answerAs(TargetsSigned, await client.tuf.targetsDraft(), 'tuf.targetsDraft')

export const targetsKeyIds = (root: SignedRoot) => root.signed.roles.targets.keyids
