import { execFileSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { openToken } from '../../src/crypto/pkcs11-token'
import { verifyEd25519 } from '../../src/backend/tuf/keys'
import { unwrapDataKey } from '../../src/crypto/data-key'
import { vehicleDataKeyContext } from '../../src/shared/data-key'
import { canonicalJson } from '../../src/shared/tuf/canonical-json'
import { unseal as unsealBuffer } from '../../src/vehicle/unseal'
import { deviceCaDir } from '../../src/backend/pki/device-ca'
import { apiClient } from '../support/https-client'
import { softhsmToken } from '../support/softhsm'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle } from '../support/vehicle-keys'

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' }).toString()
const pem = (der: Buffer, label: string) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`
const filesUnder = (dir: string): string[] => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]))

// The backend with its keys on a SoftHSM2 token: the CAs and the TUF keys are made there, every
// device certificate, CRL and TUF role is signed there (openssl and ed25519 check them), the
// server key is sealed by the token's AES key, and no key is on disk in the clear.
describe('the backend on a PKCS#11 token', () => {
  const data = tempDir('ota-token-backend')
  const dataDir = join(data.dir, 'backend')
  const token = softhsmToken(join(data.dir, 'hsm'))
  const keyStore = { kind: 'pkcs11' as const, ...token }
  let backend: RunningBackend
  // Shown at the first start only: kept for the tests that run after a restart.
  let admin: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir, keyStore, log: () => {} })
    admin = backend.firstAdminToken!
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

  it('publishes, signs and serves downloads with every backend key on the token: no key file in the data directory, before a restart or after', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const admin = backend.firstAdminToken!
    const vin = 'SMVHSMDWNLD000001'
    const { identity, credentials } = await enrolledVehicle(api, admin, { vin, model: 'model_a', region: 'eu' })
    const vehicle = apiClient(backend.url, backend.caCertPem, identity)
    const firmware = randomBytes(64 * 1024)
    const upload = await api.post('/api/v1/artifacts', { token: admin, body: firmware })
    expect(upload.status).toBe(201)
    const release = { model: 'model_a', ecu: 'ECU_001', version: '3.0.0', hardware: ['hw-a1'], notes: '', artifactSha256: upload.json.sha256 }
    const releaseId = (await api.post('/api/v1/releases', { token: admin, json: release })).json.id
    expect((await api.post(`/api/v1/releases/${releaseId}/publish`, { token: admin })).status).toBe(200)

    const downloads = async (client: typeof vehicle) => {
      const offer = (await client.post('/api/v1/device/check-update', { json: { ecus: [{ ecu: 'ECU_001', hardware: 'hw-a1', version: '1.0.0' }] } })).json.updates[0]
      const body = (await client.get(offer.url)).body
      const dataKey = unwrapDataKey(offer.dataKey, Buffer.from(credentials.kemSeed, 'base64'), vehicleDataKeyContext(vin, releaseId))
      return unsealBuffer(body, dataKey)
    }
    expect((await downloads(vehicle)).equals(firmware)).toBe(true)

    // The TUF metadata is signed by the token's keys: timestamp by the key root names, targets listing the release.
    const root = JSON.parse((await vehicle.get('/tuf/root.json')).body.toString())
    const timestamp = JSON.parse((await vehicle.get('/tuf/timestamp.json')).body.toString())
    const timestampKey = root.signed.keys[root.signed.roles.timestamp.keyids[0]]
    expect(verifyEd25519(timestampKey, Buffer.from(canonicalJson(timestamp.signed)), timestamp.signatures[0].sig)).toBe(true)
    const snapshot = JSON.parse((await vehicle.get(`/tuf/${timestamp.signed.meta['snapshot.json'].version}.snapshot.json`)).body.toString())
    const targets = JSON.parse((await vehicle.get(`/tuf/${snapshot.signed.meta['targets.json'].version}.targets.json`)).body.toString())
    expect(Object.keys(targets.signed.targets)).toContain('model_a/ECU_001/3.0.0.bin')

    const onToken = openToken(token)
    try {
      expect(onToken.labels()).toEqual(expect.arrayContaining(['server-key', 'device-ca', 'tls-ca', 'tuf-root', 'tuf-targets', 'tuf-snapshot', 'tuf-timestamp']))
    } finally {
      onToken.close()
    }
    const noKeyFiles = () => {
      for (const file of filesUnder(dataDir)) {
        expect(file, file).not.toMatch(/\.key$/)
        if (!file.endsWith('.sqlite')) expect(readFileSync(file).toString('latin1'), file).not.toContain('PRIVATE KEY')
      }
    }
    noKeyFiles()
    // The server key is on disk only sealed by the token (IV, 32 bytes, tag), and so is the ML-DSA key the token cannot hold.
    expect(statSync(join(dataDir, 'keys', 'server.key.sealed')).size).toBe(12 + 32 + 16)
    expect(existsSync(join(dataDir, 'keys', 'tuf', 'mldsa65.key.sealed'))).toBe(true)

    await backend.close()
    backend = await startBackend({ dataDir, keyStore, log: () => {} })
    const again = apiClient(backend.url, backend.caCertPem, identity)
    expect(JSON.parse((await again.get('/tuf/root.json')).body.toString())).toEqual(root)
    expect((await downloads(again)).equals(firmware)).toBe(true)
    noKeyFiles()
  })

  it('records every signature by a token key in the audit log, with who caused it and a hash of what was signed', async () => {
    const signatures = await backend.services.db.all<{ actor: string; role: string; object: string; detail: string }>(
      "SELECT actor, role, object, detail FROM audit WHERE action = 'key.sign' ORDER BY id"
    )
    const by = (object: string) => signatures.filter((s) => s.object === object)
    // The revocation's CRL was signed by the device CA because the admin revoked; the publish's targets, snapshot and timestamp too.
    expect(by('device-ca')).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'admin', role: 'admin' })]))
    for (const role of ['tuf-targets', 'tuf-snapshot', 'tuf-timestamp'])
      expect(by(role), role).toEqual(expect.arrayContaining([expect.objectContaining({ actor: 'admin', role: 'admin' })]))
    // The root at the first start, with no request behind it, is the backend's own.
    expect(by('tuf-root')[0]).toMatchObject({ actor: 'backend', role: 'system' })
    for (const s of signatures) expect(s.detail).toMatch(/^\d+ bytes, sha256 [0-9a-f]{64}$/)
    // The timestamp's record names the very bytes it signed.
    const timestamp = JSON.parse((await apiClient(backend.url, backend.caCertPem).get('/tuf/timestamp.json')).body.toString())
    const hash = createHash('sha256').update(canonicalJson(timestamp.signed)).digest('hex')
    expect(by('tuf-timestamp').map((s) => s.detail)).toContainEqual(expect.stringContaining(hash))
  })

  it('rotates a TUF key on the token: the old key keeps its place under a retired label, the new root names the new one', async () => {
    const api = apiClient(backend.url, backend.caCertPem)
    const before = JSON.parse((await api.get('/tuf/root.json')).body.toString())
    const oldKeyId = before.signed.roles.timestamp.keyids[0]
    const rotated = await api.post('/api/v1/tuf/rotate', { token: admin, json: { role: 'timestamp' } })
    expect(rotated).toMatchObject({ status: 200, json: { rootVersion: before.signed.version + 1 } })
    const root = JSON.parse((await api.get('/tuf/root.json')).body.toString())
    const newKeyId = root.signed.roles.timestamp.keyids[0]
    expect(newKeyId).not.toBe(oldKeyId)
    // The new root is signed by the root key (unchanged), and the timestamp now verifies with the new key only.
    const rootKey = before.signed.keys[before.signed.roles.root.keyids[0]]
    expect(verifyEd25519(rootKey, Buffer.from(canonicalJson(root.signed)), root.signatures[0].sig)).toBe(true)
    const timestamp = JSON.parse((await api.get('/tuf/timestamp.json')).body.toString())
    expect(timestamp.signatures[0].keyid).toBe(newKeyId)
    expect(verifyEd25519(root.signed.keys[newKeyId], Buffer.from(canonicalJson(timestamp.signed)), timestamp.signatures[0].sig)).toBe(true)
    expect(verifyEd25519(before.signed.keys[oldKeyId], Buffer.from(canonicalJson(timestamp.signed)), timestamp.signatures[0].sig)).toBe(false)

    const onToken = openToken(token)
    try {
      expect(onToken.labels().filter((l) => l.startsWith('tuf-timestamp'))).toEqual(expect.arrayContaining(['tuf-timestamp', `tuf-timestamp.v${before.signed.version}`]))
    } finally {
      onToken.close()
    }
    expect(filesUnder(dataDir).filter((f) => /tuf-timestamp|timestamp\.key/.test(f))).toEqual([])
  })

  it('keeps the CA across restarts on the token, and a data directory of token keys refuses the file store, writing nothing', async () => {
    const before = backend.services.deviceCa.certPem
    await backend.close()
    backend = await startBackend({ dataDir, keyStore, log: () => {} })
    expect(backend.services.deviceCa.certPem).toBe(before)
    await expect(startBackend({ dataDir: dataDir, port: 0, mqttPort: 0, log: () => {} })).rejects.toThrow(
      /server\.key\.sealed is sealed by a PKCS#11 token: this data directory's keys are on a token; start with --key-store pkcs11/
    )
    expect(existsSync(join(dataDir, 'keys', 'server.key')), 'nothing written by the refused start').toBe(false)
  })
})
