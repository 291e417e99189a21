import { execFileSync } from 'node:child_process'
import { X509Certificate } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import type { TLSSocket } from 'node:tls'
import { join } from 'node:path'
import mqtt from 'mqtt'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { certificateRequest } from '../../src/crypto/x509'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { SignedRoot } from '../../src/shared/tuf/metadata'
import { backendClient } from '../../src/vehicle/backend-client'
import { vehicleSpec } from '../../src/vehicle/fleet-spec'
import { seeded } from '../../src/vehicle/random'
import { createVehicle } from '../../src/vehicle/vehicle'
import { apiClient } from '../support/https-client'
import { connectedVehicle } from '../support/simulated-vehicle'
import { tempDir } from '../support/temp-dir'
import { enrolledVehicle, enrolVehicle, registerVehicle } from '../support/vehicle-keys'

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' }).toString()
/** openssl's answer and exit: verify exits 2 on a revoked certificate. */
const opensslOutcome = (...args: string[]) => {
  try {
    return { ok: true, out: execFileSync('openssl', args, { stdio: 'pipe' }).toString() }
  } catch (err) {
    const e = err as { stdout: Buffer; stderr: Buffer }
    return { ok: false, out: `${e.stdout}${e.stderr}` }
  }
}
const pem = (der: Buffer, label: string) => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END ${label}-----\n`

// The device certificate lifecycle against a real backend and its embedded broker: enrolment by
// CSR with a one-time credential, renewal without a gap, revocation that closes open sessions
// and is on the CRL (checked with openssl), expiry.
describe('device certificates', () => {
  const data = tempDir('ota-pki')
  const files = (name: string) => join(data.dir, name)
  const lines: string[] = []
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  let admin: string
  let operator: string
  let viewer: string
  let caPemFile: string

  beforeAll(async () => {
    backend = await startBackend({ dataDir: files('backend'), log: (line) => lines.push(line) })
    api = apiClient(backend.url, backend.caCertPem)
    admin = backend.firstAdminToken!
    operator = (await api.post('/api/v1/tokens', { token: admin, json: { name: 'operator-user', role: 'operator' } })).json.token
    viewer = (await api.post('/api/v1/tokens', { token: admin, json: { name: 'viewer-user', role: 'viewer' } })).json.token
    // Anyone may fetch the device CA: no token.
    const ca = await api.get('/pki/device-ca.crt')
    expect([ca.status, ca.headers['content-type']]).toEqual([200, 'application/pkix-cert'])
    caPemFile = files('device-ca.pem')
    writeFileSync(caPemFile, pem(ca.body, 'CERTIFICATE'))
  })
  afterAll(async () => {
    await backend.close()
    data.remove()
  })

  it('enrols a vehicle by a CSR openssl made, with its one-time credential: VIN in subject and SAN, 30 days, the CRL named', async () => {
    const vin = 'WDB0PKX0000000001'
    const { credentials } = await registerVehicle(api, operator, { vin, model: 'model_a', region: 'eu' })
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${vin}`, '-keyout', files('v1.key'), '-out', files('v1.csr'))
    const enrol = () => api.post('/api/v1/device/enrol', { json: { vin, credential: credentials.credential, csrPem: readFileSync(files('v1.csr'), 'utf8') } })
    const answer = await enrol()
    expect(answer.status).toBe(201)
    const cert = new X509Certificate(answer.json.certificatePem)
    expect(cert.subject).toBe(`CN=${vin}`)
    expect(cert.subjectAltName).toBe(`URI:urn:ota:vehicle:${vin}`)
    expect(Math.abs(Date.parse(cert.validTo) - Date.now() - 30 * 86_400_000)).toBeLessThan(60_000)
    writeFileSync(files('v1.crt'), answer.json.certificatePem)
    const text = openssl('x509', '-in', files('v1.crt'), '-noout', '-text')
    expect(text).toContain(`URI:${backend.url}/pki/device-ca.crl`)
    expect(text).toContain('TLS Web Client Authentication')
    expect(openssl('verify', '-CAfile', caPemFile, files('v1.crt'))).toContain('OK')

    // The credential is spent: it enrols once.
    expect((await enrol()).json.error.message).toMatch(/^the enrolment credential was used at /)
    // The certificate logs the vehicle in, and the backend knows it as that VIN's.
    const asVehicle = apiClient(backend.url, backend.caCertPem, { certPem: answer.json.certificatePem, keyPem: readFileSync(files('v1.key'), 'utf8') })
    expect((await asVehicle.get('/api/v1/device/certificate')).json).toMatchObject({ serial: answer.json.serial, holderKind: 'vehicle', holder: vin, revocation: null })
  })

  it('refuses a CSR that names another VIN, has another algorithm or is no CSR, and a credential of another vehicle; a refused request leaves the credential unspent', async () => {
    const vinA = 'WDB0PKX0000000002'
    const vinB = 'WDB0PKX0000000003'
    const a = await registerVehicle(api, operator, { vin: vinA, model: 'model_a', region: 'eu' })
    const b = await registerVehicle(api, operator, { vin: vinB, model: 'model_a', region: 'eu' })
    const enrol = async (vin: string, credential: string, csrPem: string) => (await api.post('/api/v1/device/enrol', { json: { vin, credential, csrPem } })).json
    const { csrPem: forB } = await certificateRequest(vinB, 'ECDSA-P256')
    expect((await enrol(vinA, a.credentials.credential, forB)).error.message).toBe(`the request names CN=${vinB}; it must be CN=${vinA}`)
    const { csrPem: pq } = await certificateRequest(vinA, 'ML-DSA-65')
    expect((await enrol(vinA, a.credentials.credential, pq)).error.message).toBe("the request's key is ML-DSA-65; this backend's device CA issues ECDSA-P256 certificates")
    const notCsr = '-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n'
    expect((await enrol(vinA, a.credentials.credential, notCsr)).error.message).toMatch(/^csrPem is not a PKCS#10 certificate request/)
    // A's credential does not enrol B, even with a request for B.
    expect((await enrol(vinB, a.credentials.credential, forB)).error.message).toBe(`the enrolment credential is not one issued for ${vinB}`)
    expect((await enrol(vinB, b.credentials.credential, forB)).serial).toMatch(/^[0-9a-f]{32}$/)
    const { csrPem: forA } = await certificateRequest(vinA, 'ECDSA-P256')
    expect((await enrol(vinA, a.credentials.credential, forA)).serial).toMatch(/^[0-9a-f]{32}$/)
  })

  it('renews without a gap: the old certificate works until the new one is used, then it is retired as superseded', async () => {
    const { identity: first } = await enrolledVehicle(api, operator, { vin: 'WDB0PKX0000000004', model: 'model_a', region: 'eu' })
    const asFirst = apiClient(backend.url, backend.caCertPem, first)
    const { keyPem, csrPem } = await certificateRequest('WDB0PKX0000000004', 'ECDSA-P256')
    const renewed = await asFirst.post('/api/v1/device/certificate', { json: { csrPem } })
    expect(renewed.status).toBe(201)
    const asSecond = apiClient(backend.url, backend.caCertPem, { certPem: renewed.json.certificatePem, keyPem })
    const oldSerial = new X509Certificate(first.certPem).serialNumber.toLowerCase()
    // Both hold until the vehicle has shown it has the new one.
    expect((await asFirst.get('/api/v1/device/certificate')).status).toBe(200)
    expect((await asSecond.get('/api/v1/device/certificate')).json).toMatchObject({ serial: renewed.json.serial, replaces: oldSerial })
    expect((await asFirst.get('/api/v1/device/certificate')).json.error.message).toMatch(
      new RegExp(`^Refused: the device certificate ${oldSerial} was revoked at .* \\(superseded\\)$`)
    )
    const history = (await api.get('/api/v1/vehicles/WDB0PKX0000000004/certificates', { token: viewer })).json.certificates
    expect(history.map((c: { serial: string; revocation: { reason: string } | null }) => [c.serial, c.revocation?.reason ?? null])).toEqual([
      [renewed.json.serial, null],
      [oldSerial, 'superseded']
    ])
    // A request for another VIN is refused on renewal too.
    const { csrPem: other } = await certificateRequest('WDB0PKX0000000001', 'ECDSA-P256')
    expect((await asSecond.post('/api/v1/device/certificate', { json: { csrPem: other } })).json.error.message).toMatch(/it must be CN=WDB0PKX0000000004/)
  })

  it('renews a simulated gateway while it runs: MQTT logs in again on the new certificate and updates keep working', async () => {
    const vehicle = await connectedVehicle(backend, { mqttUrl: backend.mqttUrl, caCertPem: backend.caCertPem, seed: 4401, ecus: 1, adminToken: operator })
    const before = vehicle.identity()!
    await vehicle.renew()
    const after = vehicle.identity()!
    expect(after.certPem).not.toBe(before.certPem)
    expect(vehicle.connected()).toBe(true)
    await vehicle.checkForUpdates()
    await backend.fleetLink.settled()
    expect((await api.get(`/api/v1/vehicles/${vehicle.spec.vin}`, { token: viewer })).json.online).toBe(true)
    const history = (await api.get(`/api/v1/vehicles/${vehicle.spec.vin}/certificates`, { token: viewer })).json.certificates
    expect(history.map((c: { revocation: { reason: string } | null }) => c.revocation?.reason ?? null)).toEqual([null, 'superseded'])
    await vehicle.disconnect()
  })

  it('revokes with an RFC 5280 reason: open MQTT and HTTPS sessions close within 10 s, new ones are refused, the audit log and the CRL say so', async () => {
    const vehicle = await connectedVehicle(backend, { mqttUrl: backend.mqttUrl, caCertPem: backend.caCertPem, seed: 4402, ecus: 1, adminToken: operator })
    const identity = vehicle.identity()!
    const serial = new X509Certificate(identity.certPem).serialNumber.toLowerCase()
    // An HTTPS keep-alive connection left open on the certificate.
    const agent = new Agent({ keepAlive: true, ca: backend.caCertPem, cert: identity.certPem, key: identity.keyPem })
    const socket = await new Promise<TLSSocket>((resolve, reject) => {
      const req = request(`${backend.url}/api/v1/device/certificate`, { agent }, (res) => {
        res.resume()
        res.on('end', () => resolve(req.socket as TLSSocket))
      })
      req.on('error', reject)
      req.end()
    })
    const httpsClosed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())))

    expect((await api.post(`/api/v1/certificates/${serial}/revoke`, { token: viewer, json: { reason: 'keyCompromise' } })).status).toBe(403)
    const t0 = Date.now()
    const revoked = await api.post(`/api/v1/certificates/${serial}/revoke`, { token: operator, json: { reason: 'keyCompromise', comment: 'ECU cloned' } })
    expect(revoked.json).toMatchObject({ serial, revocation: { reason: 'keyCompromise', by: 'operator-user', comment: 'ECU cloned' } })
    await expect.poll(() => vehicle.connected(), { timeout: 10_000, interval: 50 }).toBe(false)
    expect((await httpsClosed) - t0).toBeLessThan(10_000)
    expect(Date.now() - t0).toBeLessThan(10_000)
    agent.destroy()

    // New sessions are refused, with the reason.
    const again = await apiClient(backend.url, backend.caCertPem, identity).get('/api/v1/device/certificate')
    expect([again.status, again.json.error.message]).toEqual([
      401,
      expect.stringMatching(new RegExp(`^Refused: the device certificate ${serial} was revoked at .* \\(keyCompromise\\)$`))
    ])
    const mqttAgain = await mqtt
      .connectAsync(backend.mqttUrl, { username: vehicle.spec.vin, cert: identity.certPem, key: identity.keyPem, ca: backend.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
      .catch((e: Error) => e)
    expect(String(mqttAgain)).toMatch(/Not authorized/)
    expect((await api.get(`/api/v1/vehicles/${vehicle.spec.vin}`, { token: viewer })).json.lastRefusal.reason).toMatch(/was revoked at .* \(keyCompromise\)/)
    expect((await api.post(`/api/v1/certificates/${serial}/revoke`, { token: operator, json: { reason: 'unspecified' } })).status).toBe(409)
    const audit = (await api.get('/api/v1/audit?action=certificate.revoke', { token: viewer })).json.entries
    expect(audit[0]).toMatchObject({ actor: 'operator-user', role: 'operator', object: `vehicle:${vehicle.spec.vin}`, outcome: 'ok' })
    expect(audit[0].detail).toMatch(/reason keyCompromise: ECU cloned; [12] open session\(s\) closed/)

    // The CRL, public and DER, lists the serial with its reason; openssl refuses the certificate by it.
    const crl = await api.get('/pki/device-ca.crl')
    expect([crl.status, crl.headers['content-type']]).toEqual([200, 'application/pkix-crl'])
    writeFileSync(files('crl.der'), crl.body)
    const listed = openssl('crl', '-inform', 'DER', '-in', files('crl.der'), '-noout', '-text', '-CAfile', caPemFile)
    expect(listed).toContain(`Serial Number: ${serial.toUpperCase()}`)
    expect(listed).toContain('Key Compromise')
    expect(listed).toContain('X509v3 CRL Number')
    writeFileSync(files('crl.pem'), pem(crl.body, 'X509 CRL'))
    writeFileSync(files('revoked.crt'), identity.certPem)
    const verdict = opensslOutcome('verify', '-crl_check', '-CAfile', caPemFile, '-CRLfile', files('crl.pem'), files('revoked.crt'))
    expect(verdict).toMatchObject({ ok: false, out: expect.stringContaining('certificate revoked') })
    expect(opensslOutcome('verify', '-crl_check', '-CAfile', caPemFile, '-CRLfile', files('crl.pem'), files('v1.crt'))).toMatchObject({ ok: true })
    await vehicle.disconnect()
  })

  it('renews on an operator’s request, pushed to the running vehicle; lists certificates by state with filters and pages; counts them and charts expiries by week', async () => {
    const vehicle = await connectedVehicle(backend, { mqttUrl: backend.mqttUrl, caCertPem: backend.caCertPem, seed: 4403, ecus: 1, adminToken: operator })
    const vin = vehicle.spec.vin
    const serial = new X509Certificate(vehicle.identity()!.certPem).serialNumber.toLowerCase()
    expect((await api.post(`/api/v1/certificates/${serial}/renew`, { token: viewer })).status).toBe(403)
    const asked = await api.post(`/api/v1/certificates/${serial}/renew`, { token: operator })
    expect(asked.json).toMatchObject({ serial, renewalRequestedAt: expect.any(String), revocation: null })
    // The vehicle renews on the MQTT message; logging in on the new certificate retires the old one.
    const list = async (query: string) => (await api.get(`/api/v1/certificates?${query}`, { token: viewer })).json
    await expect.poll(async () => (await list(`state=superseded&q=${vin}`)).certificates.map((c: { serial: string }) => c.serial), { timeout: 10_000 }).toEqual([serial])
    const current = (await list(`q=${vin}`)).certificates
    expect(current).toEqual([expect.objectContaining({ holder: vin, replaces: serial, revocation: null })])
    expect((await list(`state=expiring&expiringDays=31&q=${vin}`)).certificates).toHaveLength(1)
    expect((await list(`state=valid&expiringDays=31&q=${vin}`)).certificates).toHaveLength(0)
    expect((await list(`q=${current[0].serial.slice(0, 12)}`)).certificates.map((c: { serial: string }) => c.serial)).toEqual([current[0].serial])
    // Pages in the order asked, with nothing seen twice.
    const first = await list('limit=2&sort=issuedAt&order=desc')
    const second = await list(`limit=2&sort=issuedAt&order=desc&cursor=${first.nextCursor}`)
    const seen = [...first.certificates, ...second.certificates].map((c: { issuedAt: string }) => c.issuedAt)
    expect(seen).toEqual([...seen].sort().reverse())
    expect(new Set([...first.certificates, ...second.certificates].map((c: { serial: string }) => c.serial)).size).toBe(4)
    expect((await api.get('/api/v1/certificates?cursor=nonsense', { token: viewer })).json.error.message).toBe('cursor is not one this API gave out')

    const summary = (await api.get('/api/v1/certificates/summary?expiringDays=31', { token: viewer })).json
    const all = (state: string) => list(`state=${state}&expiringDays=31&limit=1000`).then((p) => p.certificates.length)
    expect(summary.counts).toEqual({
      valid: await all('valid'),
      expiring: await all('expiring'),
      expired: await all('expired'),
      revoked: await all('revoked'),
      superseded: await all('superseded')
    })
    expect(summary.expiriesByWeek).toHaveLength(12)
    expect(new Date(`${summary.expiriesByWeek[0].weekStart}T00:00:00Z`).getUTCDay()).toBe(1)
    // Every certificate in use here ends in 30 days: all in the week that holds that day.
    const in30 = Date.now() + 30 * 86_400_000
    const week = summary.expiriesByWeek.find((w: { weekStart: string }) => Date.parse(w.weekStart) <= in30 && in30 < Date.parse(w.weekStart) + 7 * 86_400_000)
    expect(week.count).toBe(summary.counts.expiring)
    expect(summary.expiriesByWeek.reduce((n: number, w: { count: number }) => n + w.count, 0)).toBe(summary.counts.expiring)
    await vehicle.disconnect()
  })

  describe('with short lifetimes', () => {
    let short: RunningBackend
    let shortApi: ReturnType<typeof apiClient>
    beforeAll(async () => {
      short = await startBackend({ dataDir: files('short'), deviceCertificateLifetimeMs: 3_000, enrolmentTtlMs: 1_500, crlValidityMs: 2_000, log: () => {} })
      shortApi = apiClient(short.url, short.caCertPem)
    })
    afterAll(() => short.close())

    it('refuses an expired enrolment credential, and an operator issues a new one', async () => {
      const vin = 'WDB0PKX0000000010'
      const { credentials } = await registerVehicle(shortApi, short.firstAdminToken!, { vin, model: 'model_a', region: 'eu' })
      await new Promise((r) => setTimeout(r, 1_600))
      const { csrPem } = await certificateRequest(vin, 'ECDSA-P256')
      expect((await shortApi.post('/api/v1/device/enrol', { json: { vin, credential: credentials.credential, csrPem } })).json.error.message).toMatch(
        /^the enrolment credential expired at .*; ask an operator for a new one$/
      )
      const fresh = await shortApi.post(`/api/v1/vehicles/${vin}/enrolment`, { token: short.firstAdminToken! })
      expect(fresh.json).toMatchObject({ vin, credential: expect.stringMatching(/^ota_/) })
      expect((await enrolVehicle(shortApi, vin, fresh.json.credential)).certPem).toContain('BEGIN CERTIFICATE')
    })

    it('refuses an expired certificate on HTTPS and MQTT, with the reason the vehicle logs and the console shows', async () => {
      const spec = vehicleSpec(seeded(4410), 4410, ['model_a'], 1)
      const { identity, credentials } = await enrolledVehicle(shortApi, short.firstAdminToken!, { vin: spec.vin, model: spec.model, region: spec.region })
      const asVehicle = apiClient(short.url, short.caCertPem, identity)
      expect((await asVehicle.get('/api/v1/device/certificate')).status).toBe(200)
      await new Promise((r) => setTimeout(r, Date.parse(new X509Certificate(identity.certPem).validTo) - Date.now() + 1_100))
      const refused = await apiClient(short.url, short.caCertPem, identity).get('/api/v1/device/certificate')
      expect([refused.status, refused.json.error.message]).toEqual([401, expect.stringMatching(/^Refused: the device certificate [0-9a-f]+ expired at /)])
      const overMqtt = await mqtt
        .connectAsync(short.mqttUrl, { username: spec.vin, cert: identity.certPem, key: identity.keyPem, ca: short.caCertPem, protocolVersion: 4, reconnectPeriod: 0 })
        .catch((e: Error) => e)
      expect(String(overMqtt)).toMatch(/Not authorized/)
      expect((await shortApi.get(`/api/v1/vehicles/${spec.vin}`, { token: short.firstAdminToken! })).json.lastRefusal.reason).toMatch(/expired at/)
      // The simulated gateway cannot renew on an expired certificate, and says why.
      const client = backendClient(short.url, short.caCertPem)
      const vehicle = createVehicle({
        spec,
        credentials,
        backend: client,
        mqttUrl: short.mqttUrl,
        ca: short.caCertPem,
        trustedRoot: SignedRoot.parse(await client.api().tuf.metadata({ file: '1.root.json' })),
        random: seeded(1),
        failureRate: 0
      })
      await expect(vehicle.connect()).rejects.toThrow(/expired at/)
      client.close()
    })

    it('reissues the CRL on a schedule, before it goes stale', async () => {
      const number = async () => {
        const der = (await shortApi.get('/pki/device-ca.crl')).body
        writeFileSync(files('short.crl'), der)
        return Number(/X509v3 CRL Number:\s*\n\s*(\d+)/.exec(openssl('crl', '-inform', 'DER', '-in', files('short.crl'), '-noout', '-text'))![1])
      }
      const first = await number()
      await new Promise((r) => setTimeout(r, 1_100))
      expect(await number()).toBeGreaterThan(first)
    })
  })
})
