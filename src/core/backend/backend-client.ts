import { Agent } from 'node:https'
import { createSecureContext } from 'node:tls'
import { OtaError } from '../../shared/errors'
import type { BackendApi } from '../../shared/http/backend-api'
import type { ApiClient } from '../../shared/http/client'
import { nodeBackendApi } from '../../net/https-transport'
import { authorizationHeader, tlsOptions, type Credentials, type TlsOptions } from '../profiles/credentials'

/** The profile's CA, client certificate and key as one TLS context; a key that cannot be opened is said in the user's terms. */
function secureContextOf(credentials: Credentials, options: TlsOptions) {
  try {
    return createSecureContext(options)
  } catch (err) {
    const reason = (err as Error).message
    const hint = /bad decrypt|bad password|passphrase/i.test(reason) ? 'the key passphrase is wrong' : reason
    throw new OtaError('INVALID_INPUT', `The profile "${credentials.profile.name}" cannot open its client certificate and key: ${hint}. Edit the profile to fix them.`)
  }
}

/**
 * The fleet backend's HTTPS API as the active profile reaches it: its CA, its client certificate
 * and its token, through the one client every caller of the API uses.
 */
export function createBackendClient(credentials: Credentials, { timeoutMs = 30_000 }: { timeoutMs?: number } = {}): ApiClient<BackendApi> & { origin: string; close(): void } {
  // One secure context, not its options: the agent names its socket pool after the options on
  // every request, and with a private CA they hold the ~140 system roots, joined into one string
  // each time (45 % of the console's CPU time in a 1,000-vehicle DTC read, bench/dtc-batch.ts).
  const options = tlsOptions(credentials)
  const { checkServerIdentity } = options
  const agent = new Agent({ keepAlive: true, maxSockets: 8, secureContext: secureContextOf(credentials, options), ...(checkServerIdentity ? { checkServerIdentity } : {}) })
  const api = nodeBackendApi(credentials.profile.backendUrl, agent, { headers: authorizationHeader(credentials), timeoutMs })
  return { ...api, origin: new URL(credentials.profile.backendUrl).origin, close: () => agent.destroy() }
}
export type BackendClient = ReturnType<typeof createBackendClient>
