import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackendClient } from '../../src/core/backend/backend-client'
import { testConnection } from '../../src/core/profiles/connection-test'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { offeredGroups, runtimeGroups } from '../../src/net/tls-groups'
import type { ProfileView } from '../../src/shared/profile'
import { KEMS, SECURITY_PROFILES, type SecurityProfile, type TlsMinimum } from '../../src/shared/security-profiles'
import { startMosquitto, type RunningMosquitto } from '../support/mosquitto'
import { makePki, type TestPki } from '../support/pki'
import { tempDir } from '../support/temp-dir'
import { handshake } from '../support/tls-handshake'
import { connectedVehicle } from '../support/simulated-vehicle'

const CLASSICAL = 'X25519:P-256:P-384'
const ADMIN = randomBytes(16).toString('hex')

const consoleProfile = (backend: { url: string; mqttUrl: string; caCertPem: string }, tlsMinimum: TlsMinimum): ProfileView => ({
  id: 'security-profile-test',
  name: 'Profile test',
  backendUrl: backend.url,
  mqttUrl: backend.mqttUrl,
  username: 'admin',
  authKind: 'token',
  caCertPem: backend.caCertPem,
  clientCertPem: null,
  tlsMinimum,
  hasPassword: true,
  hasClientKey: false,
  hasKeyPassphrase: false,
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z'
})

/** The certificate key type a profile's signature algorithm shows up as in Node. */
const keyTypeOf = (p: SecurityProfile) => (p.signature === 'ECDSA-P256' ? 'ec' : p.signature.toLowerCase())

describe('the 13 security profiles: each one completes a real handshake with its group and certificate', () => {
  const data = tempDir('ota-security-profiles')
  afterAll(() => data.remove())

  it('are the table of the product description: ids 0-12, the default (2) ML-KEM-768 + ECDSA-P256', () => {
    expect(SECURITY_PROFILES.map((p) => `${p.id} ${p.kem} ${p.signature}`)).toEqual([
      '0 X25519 ECDSA-P256',
      '1 ML-KEM-512 ECDSA-P256',
      '2 ML-KEM-768 ECDSA-P256',
      '3 ML-KEM-1024 ECDSA-P256',
      '4 ML-KEM-512 ML-DSA-44',
      '5 ML-KEM-512 ML-DSA-65',
      '6 ML-KEM-512 ML-DSA-87',
      '7 ML-KEM-768 ML-DSA-44',
      '8 ML-KEM-768 ML-DSA-65',
      '9 ML-KEM-768 ML-DSA-87',
      '10 ML-KEM-1024 ML-DSA-44',
      '11 ML-KEM-1024 ML-DSA-65',
      '12 ML-KEM-1024 ML-DSA-87'
    ])
  })

  // One data directory for all: switching profiles keeps the CA of each signature algorithm.
  it.each(SECURITY_PROFILES)(
    'profile $id ($kem + $signature): HTTPS and MQTTS negotiate only its group, present its certificate, and a console that requires it connects',
    async (profile) => {
      const backend = await startBackend({ dataDir: join(data.dir, 'backend'), securityProfile: profile.id, adminToken: ADMIN, log: () => {} })
      try {
        const group = KEMS[profile.kem].group
        for (const port of [backend.port, Number(new URL(backend.mqttUrl).port), Number(new URL(backend.mqttWsUrl!).port)]) {
          expect(await handshake(port, backend.caCertPem, runtimeGroups())).toEqual({ group, keyType: keyTypeOf(profile) })
          if (profile.kem !== 'X25519') await expect(handshake(port, backend.caCertPem, CLASSICAL)).rejects.toThrow(/handshake failure/i)
        }
        const result = await testConnection(consoleProfile(backend, profile.id), { password: ADMIN }, { timeoutMs: 8000 })
        const overWebSocket = await testConnection({ ...consoleProfile(backend, profile.id), mqttUrl: backend.mqttWsUrl! }, { password: ADMIN }, { timeoutMs: 8000 })
        for (const link of [result.https, result.mqtt, overWebSocket.mqtt]) {
          expect(link).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', group, quantumSafe: profile.kem !== 'X25519' } })
          expect(link.tls?.certificateSignature).toMatch(profile.signature === 'ECDSA-P256' ? /ecdsa-with-SHA256/ : new RegExp(profile.signature))
        }
        // A simulated vehicle registers over HTTPS and connects over MQTTS under the profile.
        const vehicle = await connectedVehicle(backend, { mqttUrl: backend.mqttUrl, caCertPem: backend.caCertPem, seed: 700 + profile.id, ecus: 1, adminToken: ADMIN })
        expect(vehicle.connected()).toBe(true)
        await vehicle.disconnect()
      } finally {
        await backend.close()
      }
    },
    60_000
  )
})

describe('a connection profile with a TLS minimum refuses a weaker server, and says why', () => {
  const data = tempDir('ota-tls-minimum')
  let backend: RunningBackend
  beforeAll(async () => {
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), securityProfile: 2, adminToken: ADMIN, log: () => {} })
  })
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  it('a weaker key exchange: the server speaks X25519MLKEM768, the profile asks for ML-KEM-1024', async () => {
    const result = await testConnection(consoleProfile(backend, 3), { password: ADMIN }, { timeoutMs: 8000 })
    const overWebSocket = await testConnection({ ...consoleProfile(backend, 3), mqttUrl: backend.mqttWsUrl! }, { password: ADMIN }, { timeoutMs: 8000 })
    for (const link of [result.https, result.mqtt, overWebSocket.mqtt]) {
      expect(link).toMatchObject({ ok: false, cause: 'tls-too-weak', tls: { group: 'X25519MLKEM768' } })
      expect(link.detail).toMatch(/negotiates X25519MLKEM768 \(quantum-safe key exchange\).*requires key exchange ML-KEM-1024 or stronger/)
    }
  })

  it('a weaker certificate: the server presents ECDSA-P256, the profile asks for ML-DSA-44', async () => {
    const result = await testConnection(consoleProfile(backend, 7), { password: ADMIN }, { timeoutMs: 8000 })
    for (const link of [result.https, result.mqtt]) {
      expect(link).toMatchObject({ ok: false, cause: 'tls-too-weak' })
      expect(link.detail).toMatch(/certificate has a EC key; this connection requires .*ML-DSA-44 or stronger/)
    }
  })

  it('what meets the minimum is still accepted: "quantum-safe" and profile 2 connect', async () => {
    for (const minimum of ['quantum-safe', 2] as const) {
      const result = await testConnection(consoleProfile(backend, minimum), { password: ADMIN }, { timeoutMs: 8000 })
      expect(result.https).toMatchObject({ ok: true, tls: { group: 'X25519MLKEM768', quantumSafe: true } })
      expect(result.mqtt).toMatchObject({ ok: true, tls: { group: 'X25519MLKEM768', quantumSafe: true } })
    }
  })

  it("the console's API client holds the same minimum: a request to a weaker server fails in the handshake, before its token is sent", async () => {
    for (const [minimum, reason] of [
      [3, /handshake failure/],
      [7, /certificate has a EC key; this connection requires .*ML-DSA-44 or stronger/]
    ] as const) {
      const api = createBackendClient({ profile: consoleProfile(backend, minimum), secrets: { password: ADMIN } })
      await expect(api.meta.info()).rejects.toThrow(reason)
      api.close()
    }
  })

  it('a runtime whose TLS library lacks every group the minimum needs is refused before connecting, naming the library', () => {
    expect(() => offeredGroups(3, (group) => group === 'X25519MLKEM768' || group === 'X25519')).toThrow(
      /OpenSSL .* has none of SecP384r1MLKEM1024, MLKEM1024: it cannot give key exchange ML-KEM-1024 or stronger/
    )
    expect(offeredGroups('quantum-safe', (group) => group !== 'MLKEM512')).toBe('X25519MLKEM768:SecP384r1MLKEM1024:SecP256r1MLKEM768:MLKEM768:MLKEM1024')
  })
})

describe("Debian's Mosquitto (OpenSSL 3.0) cannot hold a quantum-safe profile: the backend and the console say so", () => {
  const data = tempDir('ota-profile-mosquitto')
  let pki: TestPki
  let broker: RunningMosquitto
  const secret = randomBytes(12).toString('hex')
  beforeAll(async () => {
    pki = makePki(data.dir)
    broker = await startMosquitto(data.dir, pki, { 'ota-backend': secret, operator: secret })
  })
  afterAll(async () => {
    await broker?.stop()
    data.remove()
  })

  const onMosquitto = (name: string, securityProfile: number) =>
    startBackend({
      dataDir: join(data.dir, name),
      tlsCertFile: pki.serverCertFile,
      tlsKeyFile: pki.serverKeyFile,
      tlsCaFile: pki.caCertFile,
      mqttUrl: `mqtts://ota-backend:${secret}@127.0.0.1:${broker.port}`,
      mqttCaFile: pki.caCertFile,
      securityProfile,
      log: () => {}
    })

  it('the backend refuses to start with profile 2 on it, naming the broker, the group and the missing ML-KEM', async () => {
    await expect(onMosquitto('refused', 2)).rejects.toThrow(
      new RegExp(
        `security profile 2 \\(ML-KEM-768 \\+ ECDSA-P256\\): the broker at 127\\.0\\.0\\.1:${broker.port} completed no TLS handshake offering only the key exchange X25519MLKEM768 .*OpenSSL 3\\.0 has no ML-KEM`
      )
    )
  })

  it('and starts with profile 0 (X25519 + ECDSA-P256), which it can hold', async () => {
    const backend = await onMosquitto('classical', 0)
    await backend.close()
  })

  it('the backend refuses a given certificate of another algorithm than the profile asks for', async () => {
    await expect(onMosquitto('wrong-cert', 4)).rejects.toThrow(/has a ECDSA-P256 key; the security profile asks for ML-DSA-44/)
  })

  it('a console requiring quantum-safe exchange refuses the broker: it negotiates X25519 only', async () => {
    const profile = {
      ...consoleProfile({ url: 'https://127.0.0.1:1/', mqttUrl: `mqtts://127.0.0.1:${broker.port}`, caCertPem: pki.caCertPem }, 'quantum-safe'),
      username: 'operator'
    }
    const { mqtt } = await testConnection(profile, { password: secret }, { timeoutMs: 5000 })
    expect(mqtt).toMatchObject({ ok: false, cause: 'tls-too-weak', tls: { group: 'X25519', quantumSafe: false } })
    expect(mqtt.detail).toMatch(/negotiates X25519 \(classical key exchange\).*requires a quantum-safe key exchange \(ML-KEM\)/)
  })
})
