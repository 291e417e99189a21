import { randomBytes } from 'node:crypto'
import { chmodSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { createMosquittoFiles } from '../../src/backend/mqtt/mosquitto-files'
import { startBackendProcess, type BackendProcess } from './backend-process'
import { startHaproxy, type RunningHaproxy } from './haproxy'
import { startMosquitto, type RunningMosquitto } from './mosquitto'
import { makePki } from './pki'
import { startPostgres, type RunningPostgres } from './postgres'
import { startS3, type RunningS3 } from './s3proxy'
import { tempDir } from './temp-dir'

/**
 * The deployment of docs/deployment.md, for real: N backend processes behind HAProxy, one
 * PostgreSQL, one Mosquitto (the vehicles' listener takes device certificates), one
 * S3-compatible store, one keys directory. Vehicles use `lbUrl` for HTTPS and `vehicleUrl` for MQTT.
 */
export async function startDeployment(count = 2) {
  const dir = tempDir('ota-deployment')
  const admin = `ota_${randomBytes(24).toString('base64url')}`
  const pki = makePki(dir.dir)
  const [cluster, s3]: [RunningPostgres, RunningS3] = await Promise.all([startPostgres(), startS3()])
  const database = await cluster.database('fleet')
  const secret = randomBytes(16).toString('hex')
  const mosquittoDir = join(dir.dir, 'mosquitto')
  const files = createMosquittoFiles(mosquittoDir, 'ota-backend', secret)
  const persistence = join(dir.dir, 'persist')
  mkdirSync(persistence)
  // Mosquitto drops to its own user and must write its persistence file here.
  chmodSync(persistence, 0o777)
  const broker: RunningMosquitto = await startMosquitto(dir.dir, pki, {}, { passwordFile: files.passwd, aclFile: files.acl, persistenceDir: persistence, includeDir: mosquittoDir })
  const { endpoint, bucket, credentials } = s3.options('firmware')
  const instance = (name: string) =>
    startBackendProcess(
      [
        ...['--data-dir', join(dir.dir, name), '--keys-dir', join(dir.dir, 'keys'), '--database', database],
        ...['--mqtt-url', `mqtts://ota-backend:${secret}@127.0.0.1:${broker.port}`, '--mqtt-ca', pki.caCertFile, '--mosquitto-dir', mosquittoDir],
        ...['--tls-cert', pki.serverCertFile, '--tls-key', pki.serverKeyFile, '--tls-ca', pki.caCertFile],
        ...['--s3-endpoint', endpoint, '--s3-bucket', bucket, '--admin-token-env', 'OTA_ADMIN', '--instance-group']
      ],
      { OTA_ADMIN: admin, AWS_ACCESS_KEY_ID: credentials!.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials!.secretAccessKey }
    )
  const instances: BackendProcess[] = [await instance('i0')]
  // The first instance wrote the device CA and its CRL: the vehicles' listener can open.
  const vehicleUrl = await broker.addVehicleListener({ caFile: files.deviceCa, crlFile: files.crl })
  for (let i = 1; i < count; i++) instances.push(await instance(`i${i}`))
  const lb: RunningHaproxy = await startHaproxy(
    instances.map((i) => ({ host: '127.0.0.1', port: i.port })),
    pki.caCertFile
  )
  const db = new pg.Client({ connectionString: database })
  await db.connect()
  return {
    admin,
    instances,
    lbUrl: lb.url,
    vehicleUrl,
    caPem: readFileSync(pki.caCertFile, 'utf8'),
    /** The instance holding the job engine's lease now, if any. */
    async leader() {
      const holder = (await db.query<{ holder: string }>("SELECT holder FROM engine_lease WHERE name = 'jobs'")).rows[0]?.holder
      return holder ? instances.find((i) => holder.includes(`:${i.pid}:`)) : undefined
    },
    query: <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []) => db.query<R>(sql, params).then((r) => r.rows),
    async stop() {
      await db.end()
      for (const i of instances) await i.stop().catch(() => undefined)
      await lb.stop()
      await broker.stop()
      await s3.stop()
      await cluster.stop()
      dir.remove()
    }
  }
}
export type Deployment = Awaited<ReturnType<typeof startDeployment>>
