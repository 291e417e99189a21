import type { SecretStore } from './secret-store'

/** Secrets held by this process only, gone when it ends: for what never needs to outlive it. */
export function createMemoryStore(): SecretStore {
  const secrets = new Map<string, string>()
  return {
    status: async () => ({ available: true }),
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => void secrets.delete(account),
    accounts: async (prefix) => [...secrets.keys()].filter((a) => a.startsWith(prefix))
  }
}
