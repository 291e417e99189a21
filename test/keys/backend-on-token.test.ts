import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { deviceCaDir } from '../../src/backend/pki/device-ca'
import { apiClient } from '../support/https-client'
import { softhsmToken } from '../support/softhsm'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' }).toString()
const pem = (der: Buffer, label: string) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]))

// The backend with its device CA key on a SoftHSM2 token: the CA is made there, every device
// certificate and CRL is signed there (openssl checks them), and no device CA key is on disk.
describe('the device CA on a PKCS#11 token', () => {
  const data = tempDir('ota-token-backend')
  const dataDir = join(data.dir, 'backend')
  const token = softhsmToken(join(data.dir, 'hsm'))
  const keyStore = { kind: 'pkcs11' as const, ...token }
  let backend: RunningBackend

  beforeAll(async () => {
    backend = await startBackend({ dataDir, keyStore, log: () => {} })
  })
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  it('enrols and revokes with the token’s key: openssl verifies the certificate and the CRL against the CA; no CA key file exists', async () => {
    expect(backend.keyStore).toMatch(/^PKCS#11 token "ota-test"/)
    const api = apiClient(backend.url, backend.caCertPem)
    const { identity } = await enrolledVehicle(api, backend.firstAdminToken!, { vin: 'SMVHSMCERT0000001', model: 'model_a', region: 'eu' })
    writeFileSync(join(data.dir, 'ca.pem'), pem((await api.get('/pki/device-ca.crt')).body, 'CERTIFICATE'))
    writeFileSync(join(data.dir, 'vehicle.pem'), identity.certPem)
    expect(openssl('verify', '-CAfile', join(data.dir, 'ca.pem'), join(data.dir, 'vehicle.pem'))).toContain('OK')

    const serial = (await apiClient(backend.url, backend.caCertPem, identity).get('/api/v1/device/certificate')).json.serial
    expect((await api.post(`/api/v1/certificates/${serial}/revoke`, { token: backend.firstAdminToken!, json: { reason: 'keyCompromise' } })).status).toBe(200)
    writeFileSync(join(data.dir, 'crl.der'), (await api.get('/pki/device-ca.crl')).body)
    const crl = execFileSync('openssl', ['crl', '-inform', 'DER', '-in', join(data.dir, 'crl.der'), '-CAfile', join(data.dir, 'ca.pem'), '-noout', '-text'], { stdio: 'pipe' })
    expect(crl.toString()).toContain(`Serial Number: ${serial.toUpperCase()}`)

    // The certificate is on disk; the key is not, anywhere in the data directory.
    const caDir = deviceCaDir(dataDir, 'ECDSA-P256')
    expect(existsSync(join(caDir, 'device-ca.crt'))).toBe(true)
    expect(existsSync(join(caDir, 'device-ca.key'))).toBe(false)
    for (const file of filesUnder(join(dataDir, 'pki'))) expect(readFileSync(file, 'utf8'), file).not.toContain('PRIVATE KEY')
  })

  it('keeps the CA across restarts on the token, and a data directory of a token CA refuses the file store', async () => {
    const before = backend.services.deviceCa.certPem
    await backend.close()
    backend = await startBackend({ dataDir, keyStore, log: () => {} })
    expect(backend.services.deviceCa.certPem).toBe(before)
    await expect(startBackend({ dataDir: dataDir, port: 0, mqttPort: 0, log: () => {} })).rejects.toThrow(
      /device-ca\.crt belongs to another key than the key store's device CA key: move it away to make a new device CA/
    )
  })
})
