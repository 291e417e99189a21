import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ProfileView } from '../../shared/profile'
import { freePort } from '../../../test/support/free-port'
import { startHttps } from '../../../test/support/https-server'
import { startMosquitto, type RunningMosquitto } from '../../../test/support/mosquitto'
import { makePki, type TestPki } from '../../../test/support/pki'
import { tempDir } from '../../../test/support/temp-dir'
import { testConnection } from './connection-test'

const profile = (overrides: Partial<ProfileView>): ProfileView => ({
  id: 'p1',
  name: 'test',
  backendUrl: 'https://127.0.0.1:1/',
  mqttUrl: 'mqtts://127.0.0.1:1',
  username: 'operator',
  authKind: 'password',
  caCertPem: null,
  clientCertPem: null,
  tlsMinimum: 'any',
  hasPassword: true,
  hasClientKey: false,
  hasKeyPassphrase: false,
  createdAt: '',
  updatedAt: '',
  ...overrides
})

// Against a real Mosquitto (TLS with a generated CA, password file) and a real HTTPS server.
describe('test connection', () => {
  const dir = tempDir('ota-conn')
  let pki: TestPki
  let broker: RunningMosquitto
  let https: Awaited<ReturnType<typeof startHttps>>
  let silent: Server
  let silentPort: number

  beforeAll(async () => {
    pki = makePki(dir.dir)
    broker = await startMosquitto(dir.dir, pki, { operator: 'correct horse' })
    https = await startHttps(pki, 'good-token')
    silent = createServer(() => {}) // accepts, then never says a word
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r))
    silentPort = (silent.address() as { port: number }).port
  })
  afterAll(async () => {
    await broker.stop()
    await https.close()
    silent.close()
    dir.remove()
  })

  it('passes both checks with the right CA and password', async () => {
    const result = await testConnection(profile({ backendUrl: https.url, mqttUrl: broker.url, caCertPem: pki.caCertPem }), {
      password: 'correct horse'
    })
    expect(result.https).toMatchObject({ ok: true, detail: 'HTTP 200, certificate trusted' })
    expect(result.mqtt).toMatchObject({ ok: true, detail: 'CONNACK accepted' })
  })

  it('reports auth rejected for a wrong password or token', async () => {
    const result = await testConnection(profile({ backendUrl: https.url, mqttUrl: broker.url, caCertPem: pki.caCertPem, authKind: 'token' }), { password: 'wrong' })
    expect(result.https).toMatchObject({ ok: false, cause: 'auth-rejected', detail: 'HTTP 401' })
    expect(result.mqtt).toMatchObject({ ok: false, cause: 'auth-rejected' })
  })

  it('reports TLS untrusted when the private CA is not given', async () => {
    const result = await testConnection(profile({ backendUrl: https.url, mqttUrl: broker.url }), { password: 'correct horse' })
    expect(result.https).toMatchObject({ ok: false, cause: 'tls-untrusted' })
    expect(result.mqtt).toMatchObject({ ok: false, cause: 'tls-untrusted' })
  })

  it('reports refused when nothing listens', async () => {
    const port = await freePort()
    const result = await testConnection(profile({ backendUrl: `https://127.0.0.1:${port}/`, mqttUrl: `mqtt://127.0.0.1:${port}` }), {})
    expect(result.https).toMatchObject({ ok: false, cause: 'refused' })
    expect(result.mqtt).toMatchObject({ ok: false, cause: 'refused' })
  })

  it('reports a DNS failure for a name that does not resolve', async () => {
    const result = await testConnection(profile({ backendUrl: 'https://fleet.nonexistent.invalid/', mqttUrl: 'mqtts://broker.nonexistent.invalid' }), {})
    expect(result.https).toMatchObject({ ok: false, cause: 'dns' })
    expect(result.mqtt).toMatchObject({ ok: false, cause: 'dns' })
  })

  it('reports a protocol error when a TLS URL points at a plain-text port', async () => {
    const plain = createServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\n\r\n'))
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r))
    const port = (plain.address() as { port: number }).port
    try {
      const result = await testConnection(profile({ backendUrl: `https://127.0.0.1:${port}/`, mqttUrl: `mqtts://127.0.0.1:${port}` }), {})
      expect(result.https).toMatchObject({ ok: false, cause: 'protocol' })
      expect(result.mqtt).toMatchObject({ ok: false, cause: 'protocol' })
    } finally {
      plain.close()
    }
  })

  it('reports a timeout when the peer never answers', async () => {
    const result = await testConnection(profile({ backendUrl: `https://127.0.0.1:${silentPort}/`, mqttUrl: `mqtts://127.0.0.1:${silentPort}` }), {}, { timeoutMs: 500 })
    expect(result.https).toEqual({ ok: false, cause: 'timeout', detail: 'no answer within 500 ms', ms: expect.any(Number), tls: null })
    expect(result.mqtt).toMatchObject({ ok: false, cause: 'timeout' })
  })
})
