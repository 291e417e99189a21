import type { ReleaseChange, SigningStatus } from '../../shared/calls/firmware'
import { OtaError } from '../../shared/errors'
import type { BackendClient } from '../backend/backend-client'
import type { ReleaseKey, ReleaseKeys } from './release-key'
import { targetPath } from '../../shared/fleet/catalog'
import { diffTargets, fingerprint, nextTargets, targetsMetadata, unexpected, type Expectation, type Targets } from './targets-review'
import { readSigningState, targetsKeyIds, type SigningState, type TrustView } from './tuf-view'

const short = (keyid: string) => `${keyid.slice(0, 12)}…`

/**
 * Signs the targets list (which firmware each model's vehicles may install) with the release key
 * in this console's keychain, once the backend's TUF root names that key. The backend proposes a
 * draft; the console signs it only if it differs from what vehicles trust now by exactly the
 * change the user made or reviewed, so a compromised server cannot have firmware signed.
 */
export function createTargetsSigner(keys: ReleaseKeys) {
  const signs = (key: ReleaseKey | null, trust: TrustView) => !!key && targetsKeyIds(trust.root).includes(key.keyid)

  /** The draft a signature needs; a role that may not sign gets the backend's refusal. */
  const draftOf = (state: SigningState) => {
    if (!state.draft) throw state.refusal!
    return state.draft
  }

  async function sign(client: BackendClient, key: ReleaseKey, expectation: Expectation, baseline?: Targets) {
    const state = await readSigningState(client)
    const { trust } = state
    if (!signs(key, trust)) {
      throw new OtaError(
        'CONFLICT',
        `The backend trusts key ${short(targetsKeyIds(trust.root)[0] ?? '')} for targets, not this console's release key ${short(key.keyid)}; an admin registers it first.`
      )
    }
    const current = baseline ?? trust.trusted
    const draft = draftOf(state)
    const changes = diffTargets(current, draft.targets)
    const problem = unexpected(changes, draft.targets, expectation)
    if (problem) throw new OtaError('CONFLICT', `Not signed: ${problem}.`)
    const signed = targetsMetadata(Math.max(draft.version, trust.current.signed.version + 1), nextTargets(current, draft.targets))
    await client.tuf.submitTargets({ signed, signatures: [{ keyid: key.keyid, sig: key.sign(signed) }] })
  }

  async function status(client: BackendClient, profileId: string): Promise<SigningStatus> {
    const key = await keys.load(profileId)
    const out: SigningStatus = {
      key: key && { keyid: key.keyid, publicKey: key.publicKey },
      location: await keys.location(profileId),
      signer: 'unknown',
      trustedKeyId: null,
      targets: null,
      pending: null,
      fingerprint: null,
      message: null
    }
    let state: SigningState
    try {
      state = await readSigningState(client)
    } catch (err) {
      if (!(err instanceof OtaError) || err.code === 'NO_CONNECTION') throw err
      return { ...out, message: err.message }
    }
    const { trust } = state
    const { signed } = trust.current
    Object.assign(out, {
      signer: signs(key, trust) ? 'console' : 'other',
      trustedKeyId: targetsKeyIds(trust.root)[0] ?? null,
      targets: { version: signed.version, expires: signed.expires, count: Object.keys(signed.targets).length }
    })
    if (!state.draft) return { ...out, message: state.refusal!.message }
    const pending = diffTargets(trust.trusted, state.draft.targets)
    return { ...out, pending, fingerprint: fingerprint(pending) }
  }

  return {
    status,

    /**
     * Makes the key on first use and has root name it for targets; then signs at once, because
     * from the new root on vehicles accept no targets the backend signed itself.
     */
    async register(client: BackendClient, profileId: string): Promise<SigningStatus> {
      const key = await keys.loadOrCreate(profileId)
      const before = (await readSigningState(client)).trust
      if (!signs(key, before)) {
        await client.tuf.rotate({ role: 'targets', targetsKey: key.publicKey })
        // What vehicles trusted a moment ago is what this first signature keeps.
        await sign(client, key, { kind: 'unchanged' }, before.trusted)
      }
      return status(client, profileId)
    },

    /** Signs the pending changes the user reviewed (or renews the expiry, when there are none). */
    async signReviewed(client: BackendClient, profileId: string, reviewed: string): Promise<SigningStatus> {
      const key = await keys.load(profileId)
      if (!key) throw new OtaError('NOT_FOUND', 'This connection has no release key yet; register one first.')
      await sign(client, key, { kind: 'reviewed', fingerprint: reviewed })
      return status(client, profileId)
    },

    /**
     * Publishes or withdraws a release; when root names this console's key, signs the new targets
     * in the same step, so vehicles are never offered a release they cannot verify for longer
     * than the two requests take.
     */
    async change(client: BackendClient, profileId: string, id: string, action: 'publish' | 'withdraw'): Promise<ReleaseChange> {
      const key = await keys.load(profileId)
      const state = await readSigningState(client)
      const before = state.trust
      const mine = key && signs(key, before) ? key : null
      if (mine) {
        const pending = diffTargets(before.trusted, draftOf(state).targets)
        if (pending.length)
          throw new OtaError(
            'CONFLICT',
            `${pending.length} change(s) to the targets list wait for a signature; review and sign them first, so that this ${action} signs only itself.`
          )
      }
      const release = await client.releases[action]({ id })
      if (!mine) {
        const listed = targetPath(release) in (await readSigningState(client)).trust.current.signed.targets
        if (listed === (action === 'publish')) return { release, signed: 'backend', message: null }
        return {
          release,
          signed: 'pending',
          message: `The backend's root names key ${short(targetsKeyIds(before.root)[0] ?? '')} for targets; vehicles see this change once its holder signs it.`
        }
      }
      try {
        await sign(client, mine, { kind: action, release })
        return { release, signed: 'console', message: null }
      } catch (err) {
        if (!(err instanceof OtaError)) throw err
        return { release, signed: 'pending', message: err.message }
      }
    }
  }
}
