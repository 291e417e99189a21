import { execFileSync, spawnSync } from 'node:child_process'
import { KEYCHAIN_SERVICE } from '../../src/core/secrets/secret-store'

// The Secret Service read and written by libsecret's own `secret-tool`, not by the library the
// console uses: a test then proves where a secret really is, not what the console believes.
const tool = (args: string[], input?: string) => execFileSync('secret-tool', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'ignore'] })

export const keychainPeer = {
  get(account: string, service = KEYCHAIN_SERVICE): string | null {
    try {
      return tool(['lookup', 'service', service, 'username', account])
    } catch {
      return null // secret-tool exits 1 when nothing matches
    }
  },
  set(account: string, secret: string, service = KEYCHAIN_SERVICE) {
    tool(['store', '--label', `${service} ${account}`, 'service', service, 'username', account], secret)
  },
  /** Every account of the service with its secret, as `secret-tool search --all` lists them. */
  entries(service = KEYCHAIN_SERVICE): { account: string; password: string }[] {
    const found = spawnSync('secret-tool', ['search', '--all', '--unlock', 'service', service], { encoding: 'utf8' })
    // It prints each item's secret on stdout and its attributes on stderr, in the same order.
    const secrets = found.stdout
      .split(/^\[\/\d+\]$/m)
      .slice(1)
      .map((item) => /^secret = ([\s\S]*?)\ncreated = /m.exec(item)?.[1] ?? '')
    const accounts = [...found.stderr.matchAll(/^attribute\.username = (.*)$/gm)].map((m) => m[1]!)
    return accounts.map((account, i) => ({ account, password: secrets[i]! }))
  }
}
