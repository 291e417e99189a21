import { canonicalJson } from '../../shared/tuf/canonical-json'
import { SignedRoot, SignedSnapshot, SignedTargets, SignedTimestamp, type RoleName, type TargetInfo } from '../../shared/tuf/metadata'
import { verifyCanonical } from '../firmware/ed25519'

type Raw = { signed: unknown; signatures: { keyid: string; sig: string }[] }
type Root = SignedRoot

/** Why a bundle's TUF metadata is not to be trusted, in words. */
export class TufRejection extends Error {}

/** Whether role's threshold of root's keys signed this metadata (checked on the bytes as they came). */
function signedBy(root: Root['signed'], role: RoleName, raw: Raw) {
  const spec = root.roles[role]
  const good = new Set(
    raw.signatures.filter((s) => spec.keyids.includes(s.keyid) && root.keys[s.keyid] && verifyCanonical(root.keys[s.keyid]!, raw.signed, s.sig)).map((s) => s.keyid)
  )
  return good.size >= spec.threshold
}

const parse = <T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown, what: string): T => {
  const r = schema.safeParse(value)
  if (!r.success) throw new TufRejection(`its TUF ${what} metadata is malformed`)
  return r.data
}

/**
 * TUF's client workflow without a network: walk the root chain from the root this console pinned,
 * then check timestamp → snapshot → targets. Offline, freshness is the bundle's signed expiry:
 * root and targets must still be valid now, while timestamp and snapshot (a day and a week) need
 * only have been valid when the backend made the bundle.
 */
export function verifyOfflineTuf(pinned: Root, tuf: { roots: unknown[]; timestamp: unknown; snapshot: unknown; targets: unknown }, at: { now: number; madeAt: number }) {
  const roots = tuf.roots.map((r) => ({ raw: r as Raw, root: parse(SignedRoot, r, 'root') })).sort((a, b) => a.root.signed.version - b.root.signed.version)
  const same = roots.find((r) => r.root.signed.version === pinned.signed.version)
  if (same && canonicalJson(same.root.signed) !== canonicalJson(pinned.signed)) {
    throw new TufRejection(`its TUF root v${pinned.signed.version} differs from the one this console pinned: the bundle belongs to another fleet`)
  }
  let trusted = pinned
  for (const { raw, root } of roots.filter((r) => r.root.signed.version > pinned.signed.version)) {
    if (root.signed.version !== trusted.signed.version + 1) throw new TufRejection(`its TUF root v${root.signed.version} does not follow v${trusted.signed.version}`)
    if (!signedBy(trusted.signed, 'root', raw) || !signedBy(root.signed, 'root', raw)) {
      throw new TufRejection(
        `its TUF root v${root.signed.version} is not signed by the root this console trusts (v${trusted.signed.version}): the bundle belongs to another fleet, or was altered`
      )
    }
    trusted = root
  }
  const root = trusted.signed
  if (Date.parse(root.expires) <= at.now) throw new TufRejection(`its TUF root v${root.version} expired at ${root.expires}`)

  const timestamp = parse(SignedTimestamp, tuf.timestamp, 'timestamp')
  if (!signedBy(root, 'timestamp', tuf.timestamp as Raw)) throw new TufRejection("its TUF timestamp is not signed by the fleet's timestamp key")
  if (Date.parse(timestamp.signed.expires) <= at.madeAt) throw new TufRejection(`its TUF timestamp had expired (${timestamp.signed.expires}) when the bundle was made`)

  const snapshot = parse(SignedSnapshot, tuf.snapshot, 'snapshot')
  if (snapshot.signed.version !== timestamp.signed.meta['snapshot.json'].version) throw new TufRejection('its TUF snapshot is not the version the timestamp names')
  if (!signedBy(root, 'snapshot', tuf.snapshot as Raw)) throw new TufRejection("its TUF snapshot is not signed by the fleet's snapshot key")
  if (Date.parse(snapshot.signed.expires) <= at.madeAt) throw new TufRejection(`its TUF snapshot had expired (${snapshot.signed.expires}) when the bundle was made`)

  const targets = parse(SignedTargets, tuf.targets, 'targets')
  if (targets.signed.version !== snapshot.signed.meta['targets.json']?.version) throw new TufRejection('its TUF targets are not the version the snapshot names')
  if (!signedBy(root, 'targets', tuf.targets as Raw)) throw new TufRejection("its TUF targets are not signed by the fleet's targets key")
  if (Date.parse(targets.signed.expires) <= at.now) throw new TufRejection(`its TUF targets metadata expired at ${targets.signed.expires}`)

  return { root: trusted, advanced: trusted !== pinned, targets: targets.signed.targets as Record<string, TargetInfo> }
}
