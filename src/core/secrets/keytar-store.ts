import keytar from 'keytar'
import { OtaError } from '../../shared/errors'
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store'

const unavailable = (cause: unknown) =>
  new OtaError(
    'KEYCHAIN_UNAVAILABLE',
    `The OS keychain is not available (${describe(cause)}). Secrets are only ever kept in the keychain, so nothing was saved: start a keyring (for example gnome-keyring or KWallet) and try again.`
  )

// libsecret's messages name the D-Bus service, never a stored value, so they are safe to show.
const describe = (cause: unknown) => (cause instanceof Error ? cause.message : String(cause)).split('\n')[0]!.slice(0, 200)

/** The OS keychain through keytar: Secret Service on Linux, Keychain on macOS, Credential Vault on Windows. */
export function createKeytarStore(service = KEYCHAIN_SERVICE): SecretStore {
  const guard = async <T>(op: () => Promise<T>): Promise<T> => {
    try {
      return await op()
    } catch (err) {
      throw unavailable(err)
    }
  }
  return {
    async status() {
      try {
        await keytar.findCredentials(service)
        return { available: true }
      } catch (err) {
        return { available: false, message: describe(err) }
      }
    },
    get: (account) => guard(() => keytar.getPassword(service, account)),
    set: (account, value) => guard(() => keytar.setPassword(service, account, value)),
    delete: (account) => guard(async () => void (await keytar.deletePassword(service, account))),
    accounts: (prefix) => guard(async () => (await keytar.findCredentials(service)).map((c) => c.account).filter((a) => a.startsWith(prefix)))
  }
}
