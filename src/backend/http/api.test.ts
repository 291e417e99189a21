import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from '../../../test/support/https-client'
import { tempDir } from '../../../test/support/temp-dir'
import { unseal as unsealBuffer } from '../../vehicle/unseal'
import { startBackend, type RunningBackend } from '../server'
import { startPostgres, type RunningPostgres } from '../../../test/support/postgres'
import { throwawayKemKey } from '../../../test/support/vehicle-keys'
import { enrolVehicle, registerVehicle } from '../../../test/support/vehicle-keys'
import type { VehicleCredentials } from '../../vehicle/vehicle'
import { unwrapDataKey } from '../../crypto/data-key'
import { vehicleDataKeyContext } from '../../shared/data-key'

// The REST contract, role by role and error by error, against a real backend over HTTPS, on
// each storage engine.
describe.each(['sqlite', 'postgres'] as const)('the fleet backend HTTPS API on %s', (engine) => {
  const data = tempDir('ota-backend')
  let cluster: RunningPostgres | undefined
  let backend: RunningBackend
  let api: ReturnType<typeof apiClient>
  const tokens: Record<string, string> = {}
  const firmware = randomBytes(300_000)
  const sha256 = createHash('sha256').update(firmware).digest('hex')
  const vinA = 'WDB1234567890ABCD'
  const vinB = 'WDB1234567890ABCE'
  let vehicleA: VehicleCredentials
  let vehicleB: VehicleCredentials
  // Each vehicle calls on its own device certificate (mTLS), with no token.
  let asA: ReturnType<typeof apiClient>
  let asB: ReturnType<typeof apiClient>

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
    const database = cluster && (await cluster.database('api'))
    backend = await startBackend({ dataDir: data.dir, database, maxUploadBytes: 1024 * 1024, log: () => {} })
    api = apiClient(backend.url, backend.caCertPem)
    tokens.admin = backend.firstAdminToken!
    for (const role of ['release-manager', 'operator', 'viewer']) {
      const made = await api.post('/api/v1/tokens', { token: tokens.admin, json: { name: `${role}-user`, role } })
      expect(made.status).toBe(201)
      tokens[role] = made.json.token
    }
    const a = await registerVehicle(api, tokens.operator!, { vin: vinA, model: 'model_a', region: 'eu', tags: ['pilot'] })
    const b = await registerVehicle(api, tokens.operator!, { vin: vinB, model: 'model_b', region: 'jp' })
    expect([a.answer.status, b.answer.status]).toEqual([201, 201])
    // Whoever registers a vehicle learns its one-time enrolment credential, and no key: keys reach the vehicle wrapped to its own.
    expect(a.answer.json).toEqual({ vin: vinA, model: 'model_a', credential: expect.stringMatching(/^ota_/), expiresAt: expect.stringMatching(/^\d{4}-/) })
    vehicleA = a.credentials
    vehicleB = b.credentials
    asA = apiClient(backend.url, backend.caCertPem, await enrolVehicle(api, vinA, vehicleA.credential))
    asB = apiClient(backend.url, backend.caCertPem, await enrolVehicle(api, vinB, vehicleB.credential))
  })
  afterAll(async () => {
    await backend.close()
    await cluster?.stop()
    data.remove()
  })

  const release = { model: 'model_a', ecu: 'ECU_001', version: '2.1.0', hardware: ['hw-a1'], notes: 'Fixes CAN wake-up', artifactSha256: sha256 }
  let releaseId: string

  it('answers 401 without a credential and with an unknown one', async () => {
    expect(await api.get('/api/v1/releases')).toMatchObject({
      status: 401,
      json: { error: { code: 'unauthorized', message: 'A bearer token (Authorization: Bearer …) or a device certificate is required' } }
    })
    expect(await api.get('/api/v1/releases', { token: 'ota_forged' })).toMatchObject({ status: 401, json: { error: { message: 'The bearer token is not valid' } } })
    // A vehicle's enrolment credential buys a certificate and logs nothing in.
    expect((await api.get('/api/v1/releases', { token: vehicleA.credential })).json.error.message).toMatch(/^This is a vehicle's enrolment credential/)
  })

  it('uploads a firmware image streamed, hashed, and encrypted at rest', async () => {
    const up = await api.post('/api/v1/artifacts', { token: tokens['release-manager'], body: firmware })
    expect(up).toMatchObject({ status: 201, json: { sha256, size: firmware.length } })
    const stored = readFileSync(join(data.dir, 'blobs', 'uploads', sha256))
    expect(stored.includes(firmware.subarray(0, 64))).toBe(false)
    expect(unsealBuffer(stored, backend.services.keys.serverKey).equals(firmware)).toBe(true)
    expect(readdirSync(join(data.dir, 'blobs', 'tmp'))).toEqual([])
  })

  it('refuses an upload over the size limit and keeps no partial file', async () => {
    const big = await api.post('/api/v1/artifacts', { token: tokens.admin, body: randomBytes(1024 * 1024 + 1) })
    expect(big).toMatchObject({ status: 413, json: { error: { code: 'too-large', message: 'the upload is larger than the 1048576-byte limit' } } })
    expect(readdirSync(join(data.dir, 'blobs', 'tmp'))).toEqual([])
  })

  it('lets only admins and release managers upload, create, publish and withdraw', async () => {
    for (const role of ['operator', 'viewer']) {
      const denied = await api.post('/api/v1/artifacts', { token: tokens[role], body: firmware })
      expect(denied).toMatchObject({ status: 403, json: { error: { code: 'forbidden', message: `Role ${role} may not artifact.upload; it needs admin or release-manager` } } })
      expect((await api.post('/api/v1/releases', { token: tokens[role], json: release })).status).toBe(403)
    }
    expect((await asA.post('/api/v1/releases', { json: release })).json.error.message).toBe('A vehicle may not release.create')
  })

  it('creates a release, and a duplicate answers 409', async () => {
    const created = await api.post('/api/v1/releases', { token: tokens['release-manager'], json: release })
    expect(created).toMatchObject({ status: 201, json: { ...release, published: false, size: firmware.length, createdBy: 'release-manager-user' } })
    releaseId = created.json.id
    expect(await api.post('/api/v1/releases', { token: tokens.admin, json: release })).toMatchObject({
      status: 409,
      json: { error: { code: 'conflict', message: 'model_a ECU_001 2.1.0 already exists' } }
    })
  })

  it('keeps each vehicle’s time zone: the one it registered with, else its region’s, else UTC; an unknown zone is refused by name', async () => {
    expect((await api.get(`/api/v1/vehicles/${vinA}`, { token: tokens.viewer })).json).toMatchObject({ region: 'eu', timeZone: 'Europe/Berlin' })
    expect((await api.get(`/api/v1/vehicles/${vinB}`, { token: tokens.viewer })).json).toMatchObject({ region: 'jp', timeZone: 'Asia/Tokyo' })
    const west = await api.post('/api/v1/vehicles', {
      token: tokens.operator,
      json: { vin: 'SMVZNE00000000001', model: 'model_a', region: 'us', timeZone: 'America/Los_Angeles', kemPublicKey: throwawayKemKey() }
    })
    const elsewhere = await api.post('/api/v1/vehicles', {
      token: tokens.operator,
      json: { vin: 'SMVZNE00000000002', model: 'model_a', region: 'sa', kemPublicKey: throwawayKemKey() }
    })
    expect([west.status, elsewhere.status]).toEqual([201, 201])
    expect((await api.get('/api/v1/vehicles/SMVZNE00000000001', { token: tokens.viewer })).json.timeZone).toBe('America/Los_Angeles')
    expect((await api.get('/api/v1/vehicles/SMVZNE00000000002', { token: tokens.viewer })).json.timeZone).toBe('UTC')
    for (const timeZone of ['Mars/Olympus_Mons', '+01:00']) {
      const bad = await api.post('/api/v1/vehicles', {
        token: tokens.operator,
        json: { vin: 'SMVZNE00000000003', model: 'model_a', region: 'eu', timeZone, kemPublicKey: throwawayKemKey() }
      })
      expect(bad.status).toBe(400)
      expect(bad.json.error.message).toMatch(/timeZone: not an IANA time zone/)
    }
    expect((await api.get('/api/v1/vehicles/SMVZNE00000000003', { token: tokens.viewer })).status).toBe(404)
  })

  it('names what is wrong in a bad request', async () => {
    const bad = await api.post('/api/v1/releases', { token: tokens.admin, json: { ...release, version: 'two', ecu: 'brakes', extra: 1 } })
    expect(bad.status).toBe(400)
    expect(bad.json.error.message).toMatch(/^Invalid body: /)
    expect(bad.json.error.message).toMatch(/ecu: an ECU id looks like ECU_001/)
    expect(bad.json.error.message).toMatch(/version: not a semantic version/)
    expect((await api.post('/api/v1/releases', { token: tokens.admin, json: { ...release, version: '9.9.9', artifactSha256: '0'.repeat(64) } })).status).toBe(404)
    // The router refuses a too long path parameter before any schema runs; the answer keeps the API's shape.
    const long = await api.get(`/api/v1/releases/${'x'.repeat(101)}`, { token: tokens.admin })
    expect([long.status, long.json.error]).toEqual([414, { code: 'bad-request', message: 'A path parameter is longer than 100 characters' }])
  })

  it('lets every role read releases', async () => {
    for (const role of ['admin', 'release-manager', 'operator', 'viewer']) {
      const list = await api.get('/api/v1/releases?model=model_a', { token: tokens[role] })
      expect(list.status).toBe(200)
      expect(list.json.releases.map((r: { id: string }) => r.id)).toEqual([releaseId])
    }
  })

  it('publishes once (409 the second time), re-encrypted with the model key', async () => {
    const published = await api.post(`/api/v1/releases/${releaseId}/publish`, { token: tokens['release-manager'] })
    expect(published).toMatchObject({ status: 200, json: { published: true } })
    expect(await api.post(`/api/v1/releases/${releaseId}/publish`, { token: tokens.admin })).toMatchObject({
      status: 409,
      json: { error: { code: 'conflict', message: `release ${releaseId} is already published to model_a` } }
    })
  })

  it('offers the update to a vehicle of that model with an older version, and not otherwise', async () => {
    const check = (client: ReturnType<typeof apiClient>, version: string, hardware = 'hw-a1', token?: string) =>
      client.post('/api/v1/device/check-update', { token, json: { ecus: [{ ecu: 'ECU_001', hardware, version }] } })
    const offer = await check(asA, '2.0.0')
    expect(offer.json).toMatchObject({
      status: 'update-available',
      updates: [{ releaseId, ecu: 'ECU_001', version: '2.1.0', url: `/api/v1/device/releases/${releaseId}/artifact`, targetPath: 'model_a/ECU_001/2.1.0.bin' }]
    })
    expect((await check(asA, '2.1.0')).json).toEqual({ status: 'up-to-date' })
    expect((await check(asA, '2.0.0', 'hw-other')).json).toEqual({ status: 'up-to-date' })
    expect((await check(asB, '2.0.0')).json).toEqual({ status: 'up-to-date' })
    expect((await check(api, '2.0.0', 'hw-a1', tokens.admin)).status).toBe(403)
  })

  it('serves the artifact to its own model only, with Range to resume, and records the download', async () => {
    const url = `/api/v1/device/releases/${releaseId}/artifact`
    const whole = await asA.get(url)
    expect(whole.status).toBe(200)
    const offered = (await asA.post('/api/v1/device/check-update', { json: { ecus: [{ ecu: 'ECU_001', hardware: 'hw-a1', version: '1.0.0' }] } })).json.updates[0]
    expect(whole.body.length).toBe(offered.size)
    expect(createHash('sha256').update(whole.body).digest('hex')).toBe(offered.sha256)
    const dataKey = unwrapDataKey(offered.dataKey, Buffer.from(vehicleA.kemSeed, 'base64'), vehicleDataKeyContext(vinA, releaseId))
    expect(unsealBuffer(whole.body, dataKey).equals(firmware)).toBe(true)
    // Another vehicle that copied the download and the wrapper opens neither.
    expect(() => unwrapDataKey(offered.dataKey, Buffer.from(vehicleB.kemSeed, 'base64'), vehicleDataKeyContext(vinB, releaseId))).toThrow(/wrapped for another key/)

    const head = await asA.get(url, { headers: { range: 'bytes=0-99' } })
    const tail = await asA.get(url, { headers: { range: 'bytes=100-' } })
    expect([head.status, tail.status]).toEqual([206, 206])
    expect(head.headers['content-range']).toBe(`bytes 0-99/${offered.size}`)
    expect(Buffer.concat([head.body, tail.body]).equals(whole.body)).toBe(true)
    expect((await asA.get(url, { headers: { range: `bytes=${offered.size}-` } })).status).toBe(416)

    expect(await asB.get(url)).toMatchObject({ status: 404, json: { error: { message: `release ${releaseId} in the model_b channel not found` } } })
    const downloads = await backend.services.db.all<{ vin: string }>('SELECT vin FROM downloads WHERE release_id = ?', [releaseId])
    expect(downloads.map((d) => d.vin)).toEqual([vinA, vinA, vinA])
  })

  it('withdraws once (404 the second time), and the vehicle is no longer offered it', async () => {
    expect((await api.post(`/api/v1/releases/${releaseId}/withdraw`, { token: tokens['release-manager'] })).json.published).toBe(false)
    expect(await api.post(`/api/v1/releases/${releaseId}/withdraw`, { token: tokens['release-manager'] })).toMatchObject({ status: 404 })
    expect((await asA.get(`/api/v1/device/releases/${releaseId}/artifact`)).status).toBe(404)
  })

  it('keeps an append-only audit log of who did what, including refusals', async () => {
    const page = await api.get('/api/v1/audit?limit=500', { token: tokens.viewer })
    const actions = page.json.entries.map((e: { actor: string; action: string; outcome: string }) => `${e.actor} ${e.action} ${e.outcome}`)
    expect(actions).toContain('release-manager-user release.publish ok')
    expect(actions).toContain('admin release.publish failed')
    expect(actions).toContain('operator-user artifact.upload denied')
    expect(actions).toContain(`vehicle:${vinA} artifact.download ok`)
    const filtered = await api.get('/api/v1/audit?action=release.withdraw', { token: tokens.admin })
    expect(filtered.json.entries.map((e: { outcome: string }) => e.outcome)).toEqual(['failed', 'ok'])
    await expect(backend.services.db.run('DELETE FROM audit')).rejects.toThrow(/append-only/)
    await expect(backend.services.db.run("UPDATE audit SET outcome = 'ok'")).rejects.toThrow(/append-only/)
  })

  it('serves OpenAPI 3.1 generated from the route table', async () => {
    const doc = (await api.get('/openapi.json')).json
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/releases/{id}/publish', '/api/v1/device/check-update', '/api/v1/artifacts']))
    expect(doc.paths['/api/v1/releases'].post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['model', 'ecu', 'version', 'hardware', 'artifactSha256'])
    )
    expect(doc.paths['/api/v1/releases/{id}/publish'].post.description).toBe('Roles: admin, release-manager.')
    // A 204 has no body, so the document names no media type for it.
    expect(doc.paths['/api/v1/policies/{id}'].delete.responses['204']).toEqual({ description: 'No content' })
  })
})
