import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { apiClient } from '../support/https-client'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'
import { consoleDir, otactl } from './support'

// otactl certificates as separate processes, on a console's connection profile: list, revoke with
// an RFC 5280 reason, ask for a renewal; what a role or a wrong value cannot do is refused by name.
describe('otactl certificates', () => {
  const data = tempDir('otactl-certificates')
  const vin = 'SMVCLXCERT0000001'
  let backend: RunningBackend
  let admin: string
  let viewer: string
  let serial: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: `${data.dir}/backend`, log: () => {} })
    const api = apiClient(backend.url, backend.caCertPem)
    const viewerToken = (await api.post('/api/v1/tokens', { token: backend.firstAdminToken!, json: { name: 'auditor', role: 'viewer' } })).json.token
    await enrolledVehicle(api, backend.firstAdminToken!, { vin, model: 'model_a', region: 'eu' })
    admin = await consoleDir(`${data.dir}/admin`, backend, backend.firstAdminToken!, 'admin')
    viewer = await consoleDir(`${data.dir}/viewer`, backend, viewerToken, 'auditor')
  }, 60_000)
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  it('lists a vehicle’s certificate, revokes it with a reason, and lists it as revoked', async () => {
    const listed = await otactl('certificates', 'list', '--vin', vin.slice(0, 10), '--json', '--data-dir', admin)
    expect(listed.code, listed.stderr).toBe(0)
    const [cert] = JSON.parse(listed.stdout).certificates
    expect(cert).toMatchObject({ holderKind: 'vehicle', holder: vin, revocation: null })
    serial = cert.serial

    const wrong = await otactl('certificates', 'revoke', serial, '--reason', 'stolen', '--data-dir', admin)
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toContain('--reason must be one of unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn; got "stolen"')

    const asViewer = await otactl('certificates', 'revoke', serial, '--reason', 'keyCompromise', '--data-dir', viewer)
    expect(asViewer.code).not.toBe(0)
    expect(asViewer.stderr).toContain('Role viewer may not certificate.revoke; it needs admin or operator')

    const revoked = await otactl('certificates', 'revoke', serial, '--reason', 'keyCompromise', '--comment', 'ECU cloned', '--data-dir', admin)
    expect(revoked.code, revoked.stderr).toBe(0)
    expect(revoked.stdout).toMatch(new RegExp(`^Revoked ${serial}  vehicle ${vin}  ECDSA-P256  until .*  revoked .* \\(keyCompromise\\) by admin\\n`))
    const now = await otactl('certificates', 'list', '--state', 'revoked', '--data-dir', admin)
    expect(now.stdout).toContain(`${serial}  vehicle ${vin}`)
    expect((await otactl('certificates', 'list', '--state', 'valid', '--data-dir', admin)).stdout).toBe('No device certificate matches.\n')

    // A revoked certificate cannot be renewed: the vehicle needs a new enrolment credential.
    const renew = await otactl('certificates', 'renew', serial, '--data-dir', admin)
    expect(renew.code).not.toBe(0)
    expect(renew.stderr).toContain('the vehicle needs a new enrolment credential')
  }, 60_000)
})
