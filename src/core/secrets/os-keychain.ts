import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring'
import { OtaError } from '../../shared/errors'
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store'

const unavailable = (cause: unknown) =>
  new OtaError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is not available (${describe(cause)}). Secrets are only ever kept in the keychain, so nothing was saved: start a keyring (for example gnome-keyring or KWallet) and try again.`
  )

// The keychain's messages name the D-Bus service or the platform call, never a stored value, so they are safe to show.
const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 200)

// Without this, a Linux machine with no Secret Service falls back to the kernel keyring, which
// forgets everything at logout: a secret "saved" there would be lost without a word.
const OPTIONS: EntryOptions = { linux: { store: 'secret-service' } }

/**
 * The OS keychain through @napi-rs/keyring: Secret Service on Linux, Keychain on macOS, Credential
 * Manager on Windows. Prebuilt for every platform, so installing the console never builds it
 * (docs/keychain.md says why it replaced keytar).
 */
export function createOsKeychain(service = KEYCHAIN_SERVICE): SecretStore {
  const entry = (account: string) => new AsyncEntry(service, account, OPTIONS)
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op()
    } catch (err) {
      throw unavailable(err)
    }
  }
  const list = () => findCredentialsAsync(service)
  return {
    async status() {
      try {
        await list()
        return { available: true }
      } catch (err) {
        return { available: false, message: describe(err) }
      }
    },
    get: (account) => guard(() => entry(account).getPassword()),
    set: (account, value) => guard(() => entry(account).setPassword(value)),
    delete: (account) => guard(async () => void (await entry(account).deleteCredential())),
    accounts: (prefix) => guard(async () => (await list()).map((c) => c.account).filter((a) => a.startsWith(prefix)))
  }
}
