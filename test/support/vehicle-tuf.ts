import { SignedRoot } from '../../src/shared/tuf/metadata'
import { createTufClient } from '../../src/vehicle/tuf-client'
import { apiClient } from './https-client'

/** A vehicle's own TUF client against the backend, trusting root version 1 as vehicles do from the factory. */
export async function vehicleTuf(backend: { url: string; caCertPem: string }) {
  const api = apiClient(backend.url, backend.caCertPem)
  const trustedRoot = SignedRoot.parse((await api.get('/tuf/1.root.json')).json)
  const tuf = createTufClient({
    trustedRoot,
    fetchMetadata: async (name) => {
      const answer = await api.get(`/tuf/${name}`)
      return answer.status === 200 ? answer.json : undefined
    }
  })
  await tuf.refresh()
  return tuf
}
