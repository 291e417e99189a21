import { createPrivateKey } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadOrCreateTls, type TlsMaterial } from '../../src/backend/tls/ca'
import { createBackendClient } from '../../src/core/backend/backend-client'
import type { ProfileView } from '../../src/shared/profile'
import { tempDir } from '../support/temp-dir'

// A profile whose mTLS key cannot be opened is told as such, in words, before any request.
describe('backend client with an mTLS profile', () => {
  const dir = tempDir('ota-backend-client')
  let tls: TlsMaterial
  let profile: ProfileView

  beforeAll(async () => {
    tls = await loadOrCreateTls(dir.dir)
    const now = new Date().toISOString()
    profile = {
      id: 'prf_0000000000000001',
      name: 'Plant A',
      backendUrl: 'https://127.0.0.1:1',
      mqttUrl: 'mqtts://127.0.0.1:2',
      username: 'op',
      authKind: 'token',
      caCertPem: tls.caCertPem,
      clientCertPem: tls.certPem,
      tlsMinimum: 'any',
      hasPassword: false,
      hasClientKey: true,
      hasKeyPassphrase: true,
      createdAt: now,
      updatedAt: now
    }
  })
  afterAll(() => dir.remove())

  it('opens a key with its passphrase, and names a wrong passphrase as such', () => {
    const encrypted = createPrivateKey(tls.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'right one' }).toString()
    expect(() => createBackendClient({ profile, secrets: { clientKeyPem: encrypted, keyPassphrase: 'right one' } })).not.toThrow()
    expect(() => createBackendClient({ profile, secrets: { clientKeyPem: encrypted, keyPassphrase: 'wrong one' } })).toThrow(
      expect.objectContaining({
        name: 'OtaError',
        code: 'INVALID_INPUT',
        message: 'The profile "Plant A" cannot open its client certificate and key: the key passphrase is wrong. Edit the profile to fix them.'
      })
    )
  })
})
