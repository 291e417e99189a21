import { describe, expect, it } from 'vitest'
import { apiClient } from '../../../test/support/https-client'
import { tempDir } from '../../../test/support/temp-dir'
import { startBackend } from '../server'

const token = (c: string) => `ota_${c.repeat(43)}`

// How the console's Local sandbox signs in without a keychain: it chooses the admin's token at
// each start, and only the latest one opens the backend.
describe('an admin token given at start', () => {
  it('replaces the admin token of the run before, and no first token is printed', async () => {
    const data = tempDir('ota-admin-token')
    try {
      for (const [mine, earlier] of [
        [token('a'), undefined],
        [token('b'), token('a')]
      ] as const) {
        const backend = await startBackend({ dataDir: data.dir, port: 0, mqttPort: 0, adminToken: mine, log: () => {} })
        try {
          expect(backend.firstAdminToken).toBeUndefined()
          const api = apiClient(backend.url, backend.caCertPem)
          expect((await api.get('/api/v1/me', { token: mine })).json).toMatchObject({ name: 'admin', role: 'admin' })
          if (earlier) expect((await api.get('/api/v1/me', { token: earlier })).status).toBe(401)
        } finally {
          await backend.close()
        }
      }
    } finally {
      data.remove()
    }
  })

  it('refuses a short token, naming what is wrong', async () => {
    const data = tempDir('ota-admin-token')
    try {
      await expect(startBackend({ dataDir: data.dir, port: 0, mqttPort: 0, adminToken: 'short', log: () => {} })).rejects.toThrow(
        /admin token must be 32 or more .*got 5 characters/
      )
    } finally {
      data.remove()
    }
  })
})
