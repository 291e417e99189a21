/** Where credentials live. The only implementation the console ships is the OS keychain. */
export interface SecretStore {
  /** Whether the store can be used now; when not, the keychain's own reason. */
  status(): Promise<{ available: true } | { available: false; message: string }>
  get(account: string): Promise<string | null>
  set(account: string, value: string): Promise<void>
  delete(account: string): Promise<void>
  /** The accounts under a prefix (names only, never values): what a profile's deletion removes. */
  accounts(prefix: string): Promise<string[]>
}

export const KEYCHAIN_SERVICE = 'ota-fleet-console'
