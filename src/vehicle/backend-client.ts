import { Agent } from 'node:https'
import { nodeBackendApi } from '../net/https-transport'
import { runtimeGroups } from '../net/tls-groups'

/**
 * The vehicles' HTTPS to the backend: the backend's CA and one keep-alive agent for the fleet,
 * and the API as each vehicle calls it, with its token or (mTLS) with the agent's client
 * certificate and no token at all.
 */
export function backendClient(baseUrl: string, ca: string, clientCertificate?: { certPem: string; keyPem: string }) {
  const agent = new Agent({ keepAlive: true, maxSockets: 64, ca, cert: clientCertificate?.certPem, key: clientCertificate?.keyPem, ecdhCurve: runtimeGroups() })
  return {
    api: (token?: string) => nodeBackendApi(baseUrl, agent, { headers: token ? { authorization: `Bearer ${token}` } : {} }),
    close: () => agent.destroy()
  }
}
export type BackendClient = ReturnType<typeof backendClient>
export type VehicleApi = ReturnType<BackendClient['api']>
