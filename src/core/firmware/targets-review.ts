import { createHash } from 'node:crypto'
import type { TargetChange } from '../../shared/calls/firmware'
import { targetPath, type ReleaseView } from '../../shared/fleet/catalog'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import { SPEC_VERSION, type TargetInfo } from '../../shared/tuf/metadata'

export type Targets = Record<string, TargetInfo>

/** What the console signs for: a change the user asked for, or the exact list they reviewed. */
export type Expectation = { kind: 'publish'; release: ReleaseView } | { kind: 'withdraw'; release: ReleaseView } | { kind: 'unchanged' } | { kind: 'reviewed'; fingerprint: string }

const TARGETS_LIFETIME_MS = 90 * 86_400_000

/** Where a release lives in the targets list (the backend's layout, which vehicles also use). */

// The ML-DSA half of a target is the backend's own signature, made afresh for every draft; what
// the console vouches for is everything else.
const vouched = (t: TargetInfo) => {
  const custom = t.custom && { ...t.custom, mldsa65: undefined }
  return canonicalJson({ length: t.length, hashes: t.hashes, custom })
}

const describe = (kind: TargetChange['kind'], path: string, t: TargetInfo): TargetChange => ({
  kind,
  path,
  releaseId: t.custom?.releaseId ?? null,
  model: t.custom?.model ?? null,
  ecu: t.custom?.ecu ?? null,
  version: t.custom?.version ?? null,
  imageSha256: t.custom?.plaintextSha256 ?? null
})

/** What signing `draft` would change for vehicles that trust `current`, in path order. */
export function diffTargets(current: Targets, draft: Targets): TargetChange[] {
  const changes: TargetChange[] = []
  for (const path of [...new Set([...Object.keys(current), ...Object.keys(draft)])].sort()) {
    const before = current[path]
    const after = draft[path]
    if (!before) changes.push(describe('added', path, after!))
    else if (!after) changes.push(describe('removed', path, before))
    else if (vouched(before) !== vouched(after)) changes.push(describe('changed', path, after))
  }
  return changes
}

export const fingerprint = (changes: TargetChange[]) => createHash('sha256').update(canonicalJson(changes)).digest('hex')

/** The list to sign: entries already trusted stay byte for byte; new and changed ones come from the draft. */
export function nextTargets(current: Targets, draft: Targets): Targets {
  return Object.fromEntries(Object.entries(draft).map(([path, t]) => [path, current[path] && vouched(current[path]) === vouched(t) ? current[path] : t]))
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])

/** Why a new or changed entry is not one a vehicle could rely on, or null. */
function malformed(path: string, t: TargetInfo): string | null {
  const c = t.custom
  if (!c) return `${path} names no release, model or ECU`
  if (path !== targetPath(c)) return `${path} claims to be ${c.model} ${c.ecu} ${c.version}`
  return null
}

/**
 * Why the draft is not what the user asked to sign, or null. A backend that slipped in, altered
 * or dropped an entry is caught here, before this console's key vouches for it.
 */
export function unexpected(changes: TargetChange[], draft: Targets, expectation: Expectation): string | null {
  for (const c of changes) {
    const problem = c.kind !== 'removed' ? malformed(c.path, draft[c.path]!) : null
    if (problem) return `The backend's draft is malformed: ${problem}`
  }
  const listed = changes.map((c) => `${c.kind} ${c.path}`).join(', ') || 'no change'
  switch (expectation.kind) {
    case 'unchanged':
      return changes.length === 0 ? null : `The backend's draft differs from the targets vehicles trust now (${listed})`
    case 'reviewed':
      return fingerprint(changes) === expectation.fingerprint ? null : `The changes waiting for a signature are no longer the ones you reviewed (now: ${listed}); review them again`
    case 'withdraw': {
      const path = targetPath(expectation.release)
      return changes.length === 1 && changes[0]!.kind === 'removed' && changes[0]!.path === path
        ? null
        : `Withdrawing should only remove ${path}; the backend's draft has ${listed}`
    }
    case 'publish': {
      const r = expectation.release
      const path = targetPath(r)
      if (changes.length !== 1 || changes[0]!.kind !== 'added' || changes[0]!.path !== path) return `Publishing should only add ${path}; the backend's draft has ${listed}`
      const c = draft[path]!.custom!
      if (c.releaseId !== r.id || c.plaintextSha256 !== r.artifactSha256 || !sameList(c.hardware, r.hardware)) {
        return `The backend's draft entry for ${path} does not match release ${r.id} (image ${r.artifactSha256.slice(0, 12)}…, hardware ${r.hardware.join(', ')})`
      }
      return null
    }
  }
}

/** Targets metadata as this console signs it: its own version and expiry, never the draft's. */
export const targetsMetadata = (version: number, targets: Targets, now = Date.now()) => ({
  _type: 'targets' as const,
  spec_version: SPEC_VERSION,
  version,
  // TUF expiry is whole seconds in UTC.
  expires: new Date(now + TARGETS_LIFETIME_MS).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  targets
})
