import { SECRET_NAMES, type ProfileSecrets, type SecretName } from '../../shared/profile'
import type { SecretStore } from '../secrets/secret-store'
import type { SecretFlags } from './profile-repo'

const account = (profileId: string, name: SecretName) => `profile/${profileId}/${name}`

const FLAG: Record<SecretName, keyof SecretFlags> = {
  password: 'hasPassword',
  clientKeyPem: 'hasClientKey',
  keyPassphrase: 'hasKeyPassphrase'
}

export type ResolvedSecrets = { [K in SecretName]?: string }

/** A profile's secrets in the keychain, one account per secret. */
export function createProfileSecrets(store: SecretStore) {
  return {
    /** Applies set/clear/keep to the keychain and returns the flags that result. */
    async apply(profileId: string, changes: ProfileSecrets, before: SecretFlags): Promise<SecretFlags> {
      const flags = { ...before }
      for (const name of SECRET_NAMES) {
        const change = changes[name]
        if (change === undefined) continue
        if (change === null) await store.delete(account(profileId, name))
        else await store.set(account(profileId, name), change)
        flags[FLAG[name]] = change !== null
      }
      return flags
    },
    async read(profileId: string, flags: SecretFlags): Promise<ResolvedSecrets> {
      const out: ResolvedSecrets = {}
      for (const name of SECRET_NAMES) {
        if (!flags[FLAG[name]]) continue
        const value = await store.get(account(profileId, name))
        if (value !== null) out[name] = value
      }
      return out
    },
    /** Every keychain account of the profile: its secrets, and what features keep under it (release and workshop keys). */
    async removeAll(profileId: string) {
      for (const name of await store.accounts(`profile/${profileId}/`)) await store.delete(name)
    }
  }
}
export type ProfileSecretsStore = ReturnType<typeof createProfileSecrets>
export const NO_SECRETS: SecretFlags = { hasPassword: false, hasClientKey: false, hasKeyPassphrase: false }
