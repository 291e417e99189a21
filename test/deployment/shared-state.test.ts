import { randomBytes } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBackend, type RunningBackend } from '../../src/backend/server'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { apiClient } from '../support/https-client'
import { startPostgres, type RunningPostgres } from '../support/postgres'
import { startS3, type RunningS3 } from '../support/s3proxy'
import { tempDir } from '../support/temp-dir'

// Two backend instances of one deployment: one PostgreSQL database, one keys directory (server
// key, TLS and device CAs, TUF keys) and one S3-compatible object store for the firmware, each
// with a data directory of its own. What one instance makes, the other serves: a release made and published on A is offered,
// unwrapped and downloaded through B by a vehicle that registered and enrolled there.
describe('two backend instances sharing one database, one key set and one object store', () => {
  const dirs = { a: tempDir('ota-inst-a'), b: tempDir('ota-inst-b'), keys: tempDir('ota-inst-keys') }
  let cluster: RunningPostgres
  let s3: RunningS3
  let a: RunningBackend
  let b: RunningBackend

  beforeAll(async () => {
    ;[cluster, s3] = await Promise.all([startPostgres(), startS3()])
    const database = await cluster.database('fleet')
    const instance = (dataDir: string) => startBackend({ dataDir, database, keysDir: dirs.keys.dir, s3: s3.options('firmware'), engineTickMs: 100, log: () => {} })
    a = await instance(dirs.a.dir)
    b = await instance(dirs.b.dir)
  }, 120_000)
  afterAll(async () => {
    await b?.close()
    await a?.close()
    await cluster?.stop()
    await s3?.stop()
    for (const d of Object.values(dirs)) d.remove()
  })

  it('says each instance is ready (database, broker and store answer) at GET /ready', async () => {
    for (const i of [a, b]) expect((await apiClient(i.url, i.caCertPem).get('/ready')).json).toEqual({ ready: true, version: '0.0.0' })
  })

  it('presents one TLS CA, one device CA and one TUF root on both', async () => {
    expect(b.caCertPem).toBe(a.caCertPem)
    const fromA = apiClient(a.url, a.caCertPem)
    const fromB = apiClient(b.url, b.caCertPem)
    expect((await fromB.get('/pki/device-ca.crt')).body).toEqual((await fromA.get('/pki/device-ca.crt')).body)
    expect((await fromB.get('/tuf/1.root.json')).body.toString()).toBe((await fromA.get('/tuf/1.root.json')).body.toString())
  })

  it('serves through B what was released on A: registration, enrolment, the offer with its data key, the download', async () => {
    // The first start made the admin token; it is in the shared database, so B knows it too.
    const admin = a.firstAdminToken!
    expect(b.firstAdminToken).toBeUndefined()
    const onA = apiClient(a.url, a.caCertPem)
    const { sha256 } = (await onA.post('/api/v1/artifacts', { token: admin, body: randomBytes(50_000) })).json
    const release = (
      await onA.post('/api/v1/releases', {
        token: admin,
        json: { model: 'model_a', ecu: 'ECU_001', version: '2.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
      })
    ).json
    expect((await onA.post(`/api/v1/releases/${release.id}/publish`, { token: admin })).status).toBe(200)

    const fleet = await startFleet({
      backendUrl: b.url,
      mqttUrl: b.mqttUrl,
      ca: b.caCertPem,
      token: admin,
      count: 2,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 5,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    try {
      await Promise.all(fleet.vehicles.map((v) => v.checkForUpdates()))
      expect(fleet.vehicles.map((v) => v.versions().ECU_001)).toEqual(['2.0.0', '2.0.0'])
      expect(fleet.vehicles.every((v) => v.outcomes.every((o) => o.ok))).toBe(true)
      // And A knows the vehicles B registered.
      const vin = fleet.vehicles[0]!.spec.vin
      expect((await onA.get(`/api/v1/vehicles/${vin}`, { token: admin })).status).toBe(200)
      // Neither instance kept the image in its data directory: it is in the object store.
      expect(existsSync(join(dirs.a.dir, 'blobs'))).toBe(false)
      expect(readdirSync(join(s3.dir, 'firmware', 'published', 'model_a'))).toHaveLength(1)
    } finally {
      await fleet.stop()
    }
  })
})
