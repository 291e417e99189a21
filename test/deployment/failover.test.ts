import { randomBytes } from 'node:crypto'
import { mkdirSync, chmodSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMosquittoFiles } from '../../src/backend/mqtt/mosquitto-files'
import { hardwareFor } from '../../src/vehicle/fleet-spec'
import { startFleet } from '../../src/vehicle/fleet'
import { startBackendProcess, type BackendProcess } from '../support/backend-process'
import { startHaproxy, type RunningHaproxy } from '../support/haproxy'
import { apiClient } from '../support/https-client'
import { startMosquitto, type RunningMosquitto } from '../support/mosquitto'
import { makePki } from '../support/pki'
import { startPostgres, type RunningPostgres } from '../support/postgres'
import { startS3, type RunningS3 } from '../support/s3proxy'
import { tempDir } from '../support/temp-dir'

const VEHICLES = 16

// The deployment of docs/deployment.md, for real: two backend processes behind HAProxy, one
// PostgreSQL, one Mosquitto (vehicle reports through a shared subscription), one S3-compatible
// store, one key set. The instance driving a campaign is killed with SIGKILL halfway; the other
// takes the job over within the lease time, and the campaign ends with every vehicle updated
// once: no execution lost, none installed twice, the audit whole.
describe('failover between two backend instances', () => {
  const dir = tempDir('ota-failover')
  const admin = `ota_${randomBytes(24).toString('base64url')}`
  let cluster: RunningPostgres
  let s3: RunningS3
  let broker: RunningMosquitto
  let lb: RunningHaproxy
  let vehicleUrl: string
  let database: string
  const instances: BackendProcess[] = []
  const pki = makePki(dir.dir)

  beforeAll(async () => {
    ;[cluster, s3] = await Promise.all([startPostgres(), startS3()])
    database = await cluster.database('fleet')
    const secret = randomBytes(16).toString('hex')
    const mosquittoDir = join(dir.dir, 'mosquitto')
    const files = createMosquittoFiles(mosquittoDir, 'ota-backend', secret)
    const persistence = join(dir.dir, 'persist')
    mkdirSync(persistence)
    chmodSync(persistence, 0o777)
    broker = await startMosquitto(dir.dir, pki, {}, { passwordFile: files.passwd, aclFile: files.acl, persistenceDir: persistence, includeDir: mosquittoDir })
    const { endpoint, bucket, credentials } = s3.options('firmware')
    const instance = (name: string) =>
      startBackendProcess(
        [
          ...['--data-dir', join(dir.dir, name), '--keys-dir', join(dir.dir, 'keys'), '--database', database],
          ...['--mqtt-url', `mqtts://ota-backend:${secret}@127.0.0.1:${broker.port}`, '--mqtt-ca', pki.caCertFile, '--mosquitto-dir', mosquittoDir],
          ...['--tls-cert', pki.serverCertFile, '--tls-key', pki.serverKeyFile, '--tls-ca', pki.caCertFile],
          ...['--s3-endpoint', endpoint, '--s3-bucket', bucket, '--admin-token-env', 'OTA_ADMIN']
        ],
        { OTA_ADMIN: admin, AWS_ACCESS_KEY_ID: credentials!.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials!.secretAccessKey }
      )
    instances.push(await instance('a'))
    // The first instance wrote the device CA and its CRL: the vehicles' listener can open.
    vehicleUrl = await broker.addVehicleListener({ caFile: files.deviceCa, crlFile: files.crl })
    instances.push(await instance('b'))
    lb = await startHaproxy(instances.map((i) => ({ host: '127.0.0.1', port: i.port })))
  }, 180_000)
  afterAll(async () => {
    for (const i of instances) await i.stop().catch(() => undefined)
    await lb?.stop()
    await broker?.stop()
    await s3?.stop()
    await cluster?.stop()
    dir.remove()
  })

  it('a campaign survives the SIGKILL of the instance driving it: taken over within the lease, nothing lost, nothing twice', async () => {
    const api = apiClient(lb.url, readFileSync(pki.caCertFile, 'utf8'))
    const fleet = await startFleet({
      backendUrl: lb.url,
      mqttUrl: vehicleUrl,
      ca: readFileSync(pki.caCertFile, 'utf8'),
      token: admin,
      count: VEHICLES,
      models: ['model_a'],
      ecus: 1,
      failureRate: 0,
      offlineRate: 0,
      seed: 77,
      pq: false,
      pollMs: 0,
      log: () => {}
    })
    const db = new pg.Client({ connectionString: database })
    await db.connect()
    try {
      // Each vehicle's configuration reached one instance or the other: all of them are known.
      await expect
        .poll(async () => (await api.get('/api/v1/vehicles?ecu=ECU_001&version=1.0.0&limit=100', { token: admin })).json.vehicles.length, { timeout: 20_000 })
        .toBe(VEHICLES)
      // Published after the vehicles asked for updates at their start: the job brings it.
      const { sha256 } = (await api.post('/api/v1/artifacts', { token: admin, body: randomBytes(200_000) })).json
      const release = (
        await api.post('/api/v1/releases', {
          token: admin,
          json: { model: 'model_a', ecu: 'ECU_001', version: '2.0.0', hardware: [hardwareFor('model_a', 1)], artifactSha256: sha256 }
        })
      ).json
      expect((await api.post(`/api/v1/releases/${release.id}/publish`, { token: admin })).status).toBe(200)
      const job = (
        await api.post('/api/v1/jobs', {
          token: admin,
          json: { name: 'failover', releaseId: release.id, selection: {}, rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 2 } }
        })
      ).json
      const succeeded = async () => ((await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.counts.succeeded ?? 0) as number
      await expect.poll(succeeded, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(4)

      const holder = (await db.query<{ holder: string }>("SELECT holder FROM engine_lease WHERE name = 'jobs'")).rows[0]!.holder
      const leader = instances.find((i) => holder.includes(`:${i.pid}:`))!
      const survivor = instances.find((i) => i !== leader)!
      expect(leader).toBeDefined()
      const before = await succeeded()
      const killedAt = Date.now()
      await leader.kill()

      // The other instance holds the lease within its time (5 s) and moves the job on.
      await expect
        .poll(async () => (await db.query<{ holder: string }>("SELECT holder FROM engine_lease WHERE name = 'jobs'")).rows[0]?.holder, { timeout: 15_000 })
        .toContain(`:${survivor.pid}:`)
      await expect.poll(succeeded, { timeout: 30_000, interval: 100 }).toBeGreaterThan(before)
      expect(Date.now() - killedAt).toBeLessThan(15_000)

      await expect.poll(async () => (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json.state, { timeout: 60_000, interval: 250 }).toBe('completed')
      const view = (await api.get(`/api/v1/jobs/${job.id}`, { token: admin })).json
      expect(view.counts).toEqual({ succeeded: VEHICLES })
      for (const v of fleet.vehicles) {
        expect(v.versions().ECU_001).toBe('2.0.0')
        // Installed once, whatever the vehicle was told twice.
        expect(v.outcomes).toEqual([{ ecu: 'ECU_001', version: '2.0.0', ok: true }])
      }
      // The audit log has every download, on whichever instance it landed.
      const downloads = (await db.query<{ n: string }>("SELECT COUNT(DISTINCT object || actor) AS n FROM audit WHERE action = 'artifact.download'")).rows[0]!.n
      expect(Number(downloads)).toBe(VEHICLES)
    } catch (err) {
      for (const i of instances) console.log('INSTANCE', i.pid, i.output().slice(-3000))
      throw err
    } finally {
      await db.end()
      await fleet.stop()
    }
  })
})
