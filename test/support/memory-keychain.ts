import type { SecretStore } from '../../src/core/secrets/secret-store'

/**
 * A keychain in memory, for a console whose figures or behaviour do not depend on the OS keychain
 * (keychain behaviour itself is tested against gnome-keyring, scripts/with-keyring).
 */
export function memoryKeychain(): SecretStore {
  const secrets = new Map<string, string>()
  return {
    status: async () => ({ available: true }),
    get: async (account) => secrets.get(account) ?? null,
    set: async (account, secret) => void secrets.set(account, secret),
    delete: async (account) => void secrets.delete(account),
    accounts: async (prefix) => [...secrets.keys()].filter((a) => a.startsWith(prefix))
  }
}
