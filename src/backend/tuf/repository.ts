import { join } from 'node:path'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import { pqMessage, SignedTargets, SPEC_VERSION, type RoleName, type SignedRoot, type SignedSnapshot, type TargetInfo, type TufKey } from '../../shared/tuf/metadata'
import type { Db } from '../db/db'
import { badRequest } from '../http/errors'
import type { KeyStore } from '../keys/key-store'
import { keyIdOf, loadOrCreateMlDsa, tufSigner, verifyEd25519, type SigningKey } from './keys'

const DAY = 86_400_000
const LIFETIME: Record<RoleName, number> = { root: 365 * DAY, targets: 90 * DAY, snapshot: 7 * DAY, timestamp: DAY }
// TUF expiry is whole seconds in UTC.
const expiry = (role: RoleName, now = Date.now()) => new Date(now + LIFETIME[role]).toISOString().replace(/\.\d{3}Z$/, 'Z')

export interface TargetSource {
  path: string
  length: number
  sha256: string
  custom: Omit<NonNullable<TargetInfo['custom']>, 'mldsa65'>
}

type Envelope = { signed: { version: number; expires: string } & Record<string, unknown>; signatures: { keyid: string; sig: string }[] }

/**
 * The firmware's TUF repository: root, targets, snapshot and timestamp, ed25519, consistent
 * snapshots. Headless, the backend holds every key. Once a targets key is registered from
 * outside (the console's, in the OS keychain), targets metadata comes signed from there and the
 * backend only checks it against root and re-signs snapshot and timestamp.
 */
export function createTufRepository(deps: { db: Db; keysDir: string; keyStore: KeyStore; targets: () => Promise<TargetSource[]> }) {
  const { db } = deps
  const keyDir = join(deps.keysDir, 'keys', 'tuf')
  const keyFile = (role: RoleName) => join(keyDir, `${role}.key`)
  const held = (role: RoleName) => tufSigner(deps.keyStore.ed25519(`tuf-${role}`, keyFile(role))!)
  const online = {
    root: () => held('root'),
    snapshot: () => held('snapshot'),
    timestamp: () => held('timestamp')
  }
  const replaced = (role: RoleName, retiredAs: string) => tufSigner(deps.keyStore.replaceEd25519(`tuf-${role}`, keyFile(role), retiredAs))
  const pq = loadOrCreateMlDsa(join(keyDir, 'mldsa65.key'), deps.keyStore)

  const sign = (signed: Envelope['signed'], keys: SigningKey[]): Envelope => {
    const bytes = Buffer.from(canonicalJson(signed))
    return { signed, signatures: keys.map((k) => ({ keyid: k.keyid, sig: k.sign(bytes) })) }
  }
  const store = (role: RoleName, env: Envelope) =>
    db.run('INSERT INTO tuf_metadata (role, version, json, expires) VALUES (?, ?, ?, ?)', [role, env.signed.version, JSON.stringify(env), env.signed.expires])
  const latest = async <T = Envelope>(role: RoleName): Promise<T | undefined> => {
    const row = await db.get<{ json: string }>('SELECT json FROM tuf_metadata WHERE role = ? ORDER BY version DESC LIMIT 1', [role])
    return row && (JSON.parse(row.json) as T)
  }
  const byVersion = async (role: RoleName, version: number) =>
    (await db.get<{ json: string }>('SELECT json FROM tuf_metadata WHERE role = ? AND version = ?', [role, version]))?.json
  const currentRoot = async () => (await latest<SignedRoot>('root'))!
  /** The targets key the backend holds, or undefined when root names an outside one. */
  const heldTargetsKey = async () => {
    const root = await currentRoot()
    const signer = deps.keyStore.ed25519('tuf-targets', keyFile('targets'), 'existing')
    if (!signer) return undefined
    const key = tufSigner(signer)
    return root.signed.roles.targets.keyids.includes(key.keyid) ? key : undefined
  }

  async function writeRoot(keys: { root: SigningKey[]; targets: TufKey; snapshot: TufKey; timestamp: TufKey }, signers: SigningKey[], version: number) {
    const all = [...keys.root.map((k) => k.key), keys.targets, keys.snapshot, keys.timestamp]
    const signed = {
      _type: 'root',
      spec_version: SPEC_VERSION,
      version,
      expires: expiry('root'),
      consistent_snapshot: true,
      keys: Object.fromEntries(all.map((k) => [keyIdOf(k), k])),
      roles: {
        root: { keyids: keys.root.map((k) => k.keyid), threshold: 1 },
        targets: { keyids: [keyIdOf(keys.targets)], threshold: 1 },
        snapshot: { keyids: [keyIdOf(keys.snapshot)], threshold: 1 },
        timestamp: { keyids: [keyIdOf(keys.timestamp)], threshold: 1 }
      }
    }
    await store('root', sign(signed, signers))
  }

  async function snapshotAndTimestamp(targetsVersion: number) {
    const snapVersion = ((await latest('snapshot'))?.signed.version ?? 0) + 1
    const snapshot = sign(
      { _type: 'snapshot', spec_version: SPEC_VERSION, version: snapVersion, expires: expiry('snapshot'), meta: { 'targets.json': { version: targetsVersion } } },
      [online.snapshot()]
    )
    await store('snapshot', snapshot)
    await signTimestamp(snapVersion)
  }

  async function signTimestamp(snapshotVersion: number) {
    const version = ((await latest('timestamp'))?.signed.version ?? 0) + 1
    await store(
      'timestamp',
      sign({ _type: 'timestamp', spec_version: SPEC_VERSION, version, expires: expiry('timestamp'), meta: { 'snapshot.json': { version: snapshotVersion } } }, [online.timestamp()])
    )
  }

  // An ML-DSA-65 signature costs milliseconds and every draft lists every published target: each
  // target's is made once (a target's path, length and hash never change) and kept while it is listed.
  let pqSignatures = new Map<string, string>()
  const targetEntries = async () => {
    const entries: Record<string, TargetInfo> = {}
    const kept = new Map<string, string>()
    for (const t of await deps.targets()) {
      const message = canonicalJson(pqMessage(t.path, t.length, t.sha256))
      const sig = pqSignatures.get(message) ?? pq.sign(Buffer.from(message))
      kept.set(message, sig)
      entries[t.path] = { length: t.length, hashes: { sha256: t.sha256 }, custom: { ...t.custom, mldsa65: { keyid: pq.keyid, sig } } }
    }
    pqSignatures = kept
    return entries
  }

  const repo = {
    pqPublicKey: () => ({ keyid: pq.keyid, publicKey: pq.publicKeyHex }),

    async init() {
      if (await latest('root')) return
      const targetsKey = held('targets')
      const root = online.root()
      await writeRoot({ root: [root], targets: targetsKey.key, snapshot: online.snapshot().key, timestamp: online.timestamp().key }, [root], 1)
      await repo.refreshTargets()
    },

    /** After a publish or withdraw: new targets (when the backend holds that key), snapshot, timestamp. */
    async refreshTargets() {
      const key = await heldTargetsKey()
      if (!key) return false
      const version = ((await latest('targets'))?.signed.version ?? 0) + 1
      await store('targets', sign({ _type: 'targets', spec_version: SPEC_VERSION, version, expires: expiry('targets'), targets: await targetEntries() }, [key]))
      await snapshotAndTimestamp(version)
      return true
    },

    /** The unsigned targets metadata an outside signer should sign next. */
    async draftTargets() {
      const version = ((await latest('targets'))?.signed.version ?? 0) + 1
      return { _type: 'targets' as const, spec_version: SPEC_VERSION, version, expires: expiry('targets'), targets: await targetEntries() }
    },

    /** What an outside signer needs in one answer: root, the targets the snapshot lists now, and the draft. */
    async signingState() {
      const snapshot = (await latest<SignedSnapshot>('snapshot'))!
      const targets = await byVersion('targets', snapshot.signed.meta['targets.json']?.version ?? 1)
      return { root: await currentRoot(), targets: JSON.parse(targets!) as SignedTargets, draft: await repo.draftTargets() }
    },

    /** Accepts targets metadata signed elsewhere, checked against root's targets role. */
    async acceptTargets(input: unknown) {
      const parsed = SignedTargets.safeParse(input)
      if (!parsed.success) throw badRequest(`not TUF targets metadata: ${parsed.error.issues[0]?.message}`)
      const env = parsed.data
      const role = (await currentRoot()).signed.roles.targets
      const keys = (await currentRoot()).signed.keys
      const bytes = Buffer.from(canonicalJson(env.signed))
      const valid = new Set(env.signatures.filter((s) => role.keyids.includes(s.keyid) && keys[s.keyid] && verifyEd25519(keys[s.keyid]!, bytes, s.sig)).map((s) => s.keyid))
      if (valid.size < role.threshold) throw badRequest(`targets metadata needs ${role.threshold} valid signature(s) by the targets key in root; it has ${valid.size}`)
      const current = (await latest('targets'))?.signed.version ?? 0
      if (env.signed.version <= current) throw badRequest(`targets version ${env.signed.version} is not newer than ${current}`)
      if (Date.parse(env.signed.expires) <= Date.now()) throw badRequest(`targets metadata expired at ${env.signed.expires}`)
      await store('targets', env as Envelope)
      await snapshotAndTimestamp(env.signed.version)
      return env.signed.version
    },

    /**
     * Rotates a role's key through a new root version, signed by the old root key (and the new
     * one, when root itself rotates). An outside targets key can be given instead of a new one.
     */
    async rotate(role: RoleName, outsideTargetsKey?: TufKey) {
      const root = await currentRoot()
      const keyOf = (r: RoleName) => root.signed.keys[root.signed.roles[r].keyids[0]!]!
      const oldRoot = online.root()
      const replace = (r: Exclude<RoleName, 'targets'>) => {
        if (r !== role) return online[r]()
        return replaced(r, `v${root.signed.version}`)
      }
      const newRoot = replace('root')
      let targets = keyOf('targets')
      if (role === 'targets') targets = outsideTargetsKey ?? replaced('targets', `v${root.signed.version}`).key
      await writeRoot(
        { root: [newRoot], targets, snapshot: replace('snapshot').key, timestamp: replace('timestamp').key },
        role === 'root' ? [oldRoot, newRoot] : [oldRoot],
        root.signed.version + 1
      )
      if (!(await repo.refreshTargets())) await snapshotAndTimestamp((await latest('targets'))!.signed.version)
      return root.signed.version + 1
    },

    /** A metadata file by its TUF name: N.root.json, root.json, timestamp.json, N.snapshot.json, N.targets.json. */
    async file(name: string): Promise<string | undefined> {
      if (name === 'timestamp.json') {
        const ts = (await latest('timestamp'))!
        // Keep the timestamp fresh: re-sign once half its lifetime has passed.
        if (Date.parse(ts.signed.expires) - Date.now() < LIFETIME.timestamp / 2) {
          await signTimestamp((ts.signed.meta as { 'snapshot.json': { version: number } })['snapshot.json'].version)
        }
        return JSON.stringify(await latest('timestamp'))
      }
      if (name === 'root.json') return JSON.stringify(await latest('root'))
      const m = /^(\d+)\.(root|snapshot|targets)\.json$/.exec(name)
      return m ? byVersion(m[2] as RoleName, Number(m[1])) : undefined
    }
  }
  return repo
}
export type TufRepository = ReturnType<typeof createTufRepository>
