import { OtaError } from '../../shared/errors'
import { SANDBOX_PROFILE_ID } from '../../shared/sandbox'
import { createMemoryStore } from './memory-store'
import type { SecretStore } from './secret-store'

const SANDBOX = `profile/${SANDBOX_PROFILE_ID}/`
// Minted afresh at every start of the sandbox: keeping it anywhere past this run is pointless.
const SANDBOX_TOKEN = `${SANDBOX}password`

const keychainMissing = (err: unknown) => err instanceof OtaError && err.code === 'KEYCHAIN_UNAVAILABLE'

/**
 * The keychain, except for the Local sandbox, which lives on this machine only and must run
 * without one: its admin token stays in memory, and what else it keeps (its release key) goes to
 * the keychain when there is one and to memory when there is not. Every other profile's secrets
 * still need the keychain, and saving one without it still says so.
 */
export function withSandboxSecrets(keychain: SecretStore): SecretStore {
  const memory = createMemoryStore()
  const sandboxOnly = (account: string) => account.startsWith(SANDBOX)
  const either = async <T>(account: string, op: (store: SecretStore) => Promise<T>): Promise<T> => {
    if (account === SANDBOX_TOKEN) return op(memory)
    if (!sandboxOnly(account)) return op(keychain)
    try {
      return await op(keychain)
    } catch (err) {
      if (!keychainMissing(err)) throw err
      return op(memory)
    }
  }
  return {
    status: () => keychain.status(),
    async get(account) {
      if (!sandboxOnly(account) || account === SANDBOX_TOKEN) return either(account, (s) => s.get(account))
      // Held in memory since the keychain went away, or kept in it from an earlier run.
      return (await memory.get(account)) ?? either(account, (s) => s.get(account))
    },
    set: (account, value) => either(account, (s) => s.set(account, value)),
    async delete(account) {
      await memory.delete(account)
      if (account !== SANDBOX_TOKEN) await either(account, (s) => s.delete(account))
    },
    accounts: async (prefix) => [...new Set([...(await memory.accounts(prefix)), ...(await either(prefix, (s) => s.accounts(prefix)))])]
  }
}
