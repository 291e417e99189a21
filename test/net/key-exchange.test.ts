import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createServer as createTlsServer } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createBackendClient } from '../../src/core/backend/backend-client'
import { probeMqtt, testConnection } from '../../src/core/profiles/connection-test'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import type { ProfileView } from '../../src/shared/profile'
import { runtimeGroups } from '../../src/net/tls-groups'
import { backendClient } from '../../src/vehicle/backend-client'
import { makePki, type TestPki } from '../support/pki'
import { tempDir } from '../support/temp-dir'
import { handshake } from '../support/tls-handshake'

const HYBRID = 'X25519MLKEM768'

const negotiated = async (port: number, ca: string, groups: string) => (await handshake(port, ca, groups)).group

/** A server that speaks only these groups: a client that does not offer one of them cannot complete its handshake. */
async function serverOnly(pki: TestPki, groups: string, kind: 'https' | 'tls') {
  const handshakes: string[] = []
  const options = { cert: pki.serverCertPem, key: pki.serverKeyPem, ecdhCurve: groups }
  const server =
    kind === 'https'
      ? createHttpsServer(options, (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'))
      : createTlsServer(options, (socket) => socket.destroy())
  server.on('secureConnection', () => handshakes.push(groups))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, handshakes, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const profileFor = (pki: TestPki, backendUrl: string, mqttUrl: string): ProfileView => ({
  id: 'b6a4e3f2-0000-4000-8000-000000000001',
  name: 'Hybrid only',
  backendUrl,
  mqttUrl,
  username: 'ops',
  authKind: 'token',
  caCertPem: pki.caCertPem,
  clientCertPem: null,
  tlsMinimum: 'any',
  hasPassword: true,
  hasClientKey: false,
  hasKeyPassphrase: false,
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z'
})

/** One request from the console's HTTPS client and one from the vehicle's, answered or not: the server counts the handshakes. */
async function askWithEveryHttpsClient(pki: TestPki, url: string) {
  const consoleApi = createBackendClient({ profile: profileFor(pki, url, 'mqtts://127.0.0.1:1'), secrets: { password: 'token' } })
  await consoleApi.meta.info().catch(() => undefined)
  consoleApi.close()
  const vehicle = backendClient(url, pki.caCertPem)
  await vehicle
    .api()
    .meta.info()
    .catch(() => undefined)
  vehicle.close()
}

describe('key exchange on every TLS link: the hybrid X25519MLKEM768 first, classical groups after it', () => {
  const data = tempDir('ota-kex')
  let backend: RunningBackend
  let pki: TestPki
  beforeAll(async () => {
    pki = makePki(data.dir)
    backend = await startBackend({ dataDir: join(data.dir, 'backend'), log: () => {} })
  })
  afterAll(async () => {
    await backend?.close()
    data.remove()
  })

  it("the backend's HTTPS API and its MQTT broker choose the hybrid group for a client that offers it, and a classical one for a client that does not", async () => {
    const mqttPort = Number(new URL(backend.mqttUrl).port)
    const wssPort = Number(new URL(backend.mqttWsUrl!).port)
    for (const port of [backend.port, mqttPort, wssPort]) {
      expect(await negotiated(port, backend.caCertPem, runtimeGroups())).toBe(HYBRID)
      expect(await negotiated(port, backend.caCertPem, 'X25519')).toBe('X25519')
      expect(await negotiated(port, backend.caCertPem, 'P-256')).toBe('prime256v1')
    }
  })

  it('the console and the vehicles offer the hybrid group: they complete a handshake with a server that accepts nothing else', async () => {
    const https = await serverOnly(pki, HYBRID, 'https')
    const mqtts = await serverOnly(pki, HYBRID, 'tls')
    try {
      const url = `https://127.0.0.1:${https.port}/`
      await askWithEveryHttpsClient(pki, url)
      expect(https.handshakes).toHaveLength(2)

      await probeMqtt(profileFor(pki, url, `mqtts://127.0.0.1:${mqtts.port}`), { password: 'token' }, 3000)
      expect(mqtts.handshakes).toHaveLength(1)
    } finally {
      await https.close()
      await mqtts.close()
    }
  })

  it('and still reach a server that speaks only classical groups, as a broker built with OpenSSL 3.0 does', async () => {
    const https = await serverOnly(pki, 'X25519:P-256', 'https')
    try {
      await askWithEveryHttpsClient(pki, `https://127.0.0.1:${https.port}/`)
      expect(https.handshakes).toHaveLength(2)
    } finally {
      await https.close()
    }
  })

  it('Test connection reports, per link, the TLS version, the group, the certificate signature and whether the exchange is quantum-safe', async () => {
    const profile = { ...profileFor(pki, backend.url, backend.mqttUrl), caCertPem: backend.caCertPem }
    const result = await testConnection(profile, { password: 'not-a-token' }, { timeoutMs: 5000 })
    const overWebSocket = await testConnection({ ...profile, mqttUrl: backend.mqttWsUrl! }, { password: 'not-a-token' }, { timeoutMs: 5000 })
    for (const link of [result.https, result.mqtt, overWebSocket.mqtt]) {
      expect(link.tls).toEqual({ version: 'TLSv1.3', group: HYBRID, certificateSignature: expect.stringMatching(/ecdsa|ML-DSA/i), quantumSafe: true })
    }
    // The broker refused the token over both: the handshake completed before it.
    expect(overWebSocket.mqtt).toMatchObject({ ok: false, cause: 'auth-rejected' })

    const classical = await serverOnly(pki, 'X25519', 'https')
    try {
      const { https } = await testConnection(profileFor(pki, `https://127.0.0.1:${classical.port}/`, 'mqtts://127.0.0.1:1'), { password: 'token' }, { timeoutMs: 3000 })
      expect(https).toMatchObject({ ok: true, tls: { version: 'TLSv1.3', group: 'X25519', quantumSafe: false } })
    } finally {
      await classical.close()
    }
  })
})
