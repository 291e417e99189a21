import { Readable } from 'node:stream'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobSpec } from '../../shared/fleet/jobs'
import type { UpdateNotify } from '../../shared/protocol/messages'
import { startPostgres, type RunningPostgres } from '../../../test/support/postgres'
import { tempDir } from '../../../test/support/temp-dir'
import { createBlobStore } from '../catalog/blob-store'
import { createFileBlobs } from '../catalog/file-blobs'
import { createCatalog } from '../catalog/catalog'
import { createDataKeys } from '../crypto/data-keys'
import { xwingKeyPair } from '../../crypto/xwing'
import { createKeyring } from '../crypto/keyring'
import { openKeyStore } from '../keys/key-store'
import type { Db } from '../db/db'
import { migrateBackend } from '../db/migrate'
import { openPostgres } from '../db/postgres'
import { openSqlite } from '../db/sqlite'
import { createJobEngine } from './engine'
import { createJobService } from './job-service'
import { createLease } from './lease'

// One key for all the test's vehicles: each notification wraps the data key to it.
const KEM_PUBLIC_KEY = xwingKeyPair().publicKey.toString('base64')

const vin = (i: number) => `LSE${String(i).padStart(14, '0')}`
const TTL = 5_000

// Two backend instances on one database: only the lease holder drives the job; when it dies
// (stops renewing), the other takes over after the lease expires, asks the vehicles A left with an
// install in flight once more, and notifies no one else twice.
describe.each(['sqlite', 'postgres'] as const)('the job engine lease on %s', (engine) => {
  const dir = tempDir('ota-lease')
  let cluster: RunningPostgres | undefined
  const dbs: Db[] = []

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
  })
  afterAll(async () => {
    for (const db of dbs) await db.close()
    await cluster?.stop()
    dir.remove()
  })

  it('lets one instance drive at a time and hands over when it dies', async () => {
    const url = cluster && (await cluster.database('lease'))
    const open = () => {
      const db = url ? openPostgres(url) : openSqlite(join(dir.dir, 'shared.sqlite'))
      dbs.push(db)
      return db
    }
    const first = open()
    await migrateBackend(first)
    const catalog = createCatalog({
      db: first,
      blobs: createBlobStore(createFileBlobs(join(dir.dir, 'blobs'))),
      keys: createKeyring(dir.dir, first, openKeyStore({ kind: 'files' }), async () => {}),
      maxUploadBytes: 1e6
    })
    await first.transaction(async (tx) => {
      for (let i = 0; i < 12; i++) {
        await tx.run("INSERT INTO vehicles (vin, model, region, tags, online, kem_public_key, created_at) VALUES (?, 'model_a', 'eu', '[]', 1, ?, 'x')", [vin(i), KEM_PUBLIC_KEY])
        await tx.run("INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, 'ECU_001', 4097, 'ZGW_01', 'hw-1', '1.0.0')", [vin(i)])
      }
    })
    const artifact = await catalog.upload(Readable.from([Buffer.from('firmware')]), 'test')
    const release = await catalog.create({ model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: ['hw-1'], notes: '', artifactSha256: artifact.sha256 }, 'test')
    await catalog.publish(release.id, 'test')

    let clock = Date.parse('2026-11-29T00:00:00Z')
    const instance = (name: string) => {
      const db = name === 'a' ? first : open()
      const keys = createKeyring(dir.dir, db, openKeyStore({ kind: 'files' }), async () => {})
      const jobs = createJobService({ db, catalog: createCatalog({ db, blobs: createBlobStore(createFileBlobs(join(dir.dir, 'blobs'))), keys, maxUploadBytes: 1e6 }) })
      const notified: string[] = []
      const engine = createJobEngine({
        db,
        jobs,
        catalog,
        dataKeys: createDataKeys(db, keys),
        notify: async (v: string, m: UpdateNotify) => void (m.action === 'forced' && notified.push(v)),
        lease: createLease(db, { name: 'jobs', holder: name, ttlMs: TTL }),
        now: () => clock,
        log: () => {}
      })
      return { jobs, engine, notified }
    }
    const a = instance('a')
    const b = instance('b')
    const job = await a.jobs.create(
      JobSpec.parse({ name: 'leased', releaseId: release.id, selection: {}, rollout: { waves: [{ size: { percent: 100 } }], maxInFlight: 4 } }),
      'test'
    )

    await a.engine.tick()
    await b.engine.tick()
    expect(a.notified).toHaveLength(4)
    expect(b.notified).toHaveLength(0)

    // A's vehicles finish; A renews and drives on; B still waits.
    for (const v of a.notified) await a.jobs.transition(job.id, v, { kind: 'step', step: 'done' })
    clock += 1_000
    await a.engine.tick()
    await b.engine.tick()
    expect(a.notified).toHaveLength(8)
    expect(b.notified).toHaveLength(0)

    // A dies without releasing, two of its vehicles still downloading (their reports may have
    // died with A). Before its lease expires B does nothing; after, B takes over, asks those two
    // again, and notifies the next four.
    for (const v of a.notified.slice(4, 6)) await a.jobs.transition(job.id, v, { kind: 'step', step: 'done' })
    for (const v of a.notified.slice(6)) await a.jobs.transition(job.id, v, { kind: 'step', step: 'downloading' })
    clock += TTL - 1
    await b.engine.tick()
    expect(b.notified).toHaveLength(0)
    clock += 2
    await b.engine.tick()
    // The two asked again count against the in-flight limit of four: two new ones.
    expect(b.notified.slice(0, 2).sort()).toEqual(a.notified.slice(6).sort())
    expect(b.notified).toHaveLength(4)
    expect(new Set([...a.notified, ...b.notified]).size).toBe(10)
    // Only once: the next tick asks nobody again.
    await b.engine.tick()
    expect(b.notified).toHaveLength(4)

    for (const v of b.notified) await b.jobs.transition(job.id, v, { kind: 'step', step: 'done' })
    clock += 1_000
    await b.engine.tick()
    expect(new Set([...a.notified, ...b.notified]).size).toBe(12)
    for (const v of b.notified.slice(4)) await b.jobs.transition(job.id, v, { kind: 'step', step: 'done' })
    clock += 1_000
    await b.engine.tick()
    expect((await b.jobs.view(job.id)).state).toBe('completed')
    // A comes back: B holds the lease, so A drives nothing.
    await a.engine.tick()
    expect(a.notified).toHaveLength(8)
    // A clean stop hands the lease over at once.
    await b.engine.stop()
    expect(await createLease(first, { name: 'jobs', holder: 'a', ttlMs: TTL }).acquire(clock)).toBe(true)
  })
})
