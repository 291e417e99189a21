import { Agent } from 'node:https'
import { nodeBackendApi } from '../net/https-transport'
import { runtimeGroups } from '../net/tls-groups'
import type { DeviceIdentity } from './identity'

/**
 * The vehicles' HTTPS to the backend, trusting its CA: the API with a person's token (to
 * provision) or none (public routes, enrolment), over one agent; and each vehicle's own agent,
 * which presents its device certificate (mTLS) and carries no token at all.
 */
export function backendClient(baseUrl: string, ca: string) {
  const ecdhCurve = runtimeGroups()
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca, ecdhCurve })
  return {
    api: (token?: string) => nodeBackendApi(baseUrl, agent, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    /** One vehicle's API over its own connections, on its device certificate. */
    device(identity: DeviceIdentity) {
      const own = new Agent({ keepAlive: true, maxSockets: 4, ca, cert: identity.certPem, key: identity.keyPem, ecdhCurve })
      return { api: nodeBackendApi(baseUrl, own, { headers: {} }), close: () => own.destroy() }
    },
    close: () => agent.destroy()
  }
}
export type BackendClient = ReturnType<typeof backendClient>
export type VehicleApi = ReturnType<BackendClient['api']>
