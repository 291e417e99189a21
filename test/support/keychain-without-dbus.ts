// Run in a child process whose environment points at no D-Bus session.
import { createOsKeychain } from '../../src/core/secrets/os-keychain'
import { OtaError } from '../../src/shared/errors'

async function main() {
  const store = createOsKeychain('ota-fleet-console-test')
  const status = await store.status()
  const setError = await store.set('nowhere', 'secret').then(
    () => null,
    (err: OtaError) => ({ code: err.code, message: err.message })
  )
  process.stdout.write(JSON.stringify({ status, setError }))
}
void main()
