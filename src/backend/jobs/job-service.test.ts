import { Readable } from 'node:stream'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JobSpec } from '../../shared/fleet/jobs'
import { startPostgres, type RunningPostgres } from '../../../test/support/postgres'
import { tempDir } from '../../../test/support/temp-dir'
import { createBlobStore } from '../catalog/blob-store'
import { createFileBlobs } from '../catalog/file-blobs'
import { createCatalog } from '../catalog/catalog'
import { createKeyring } from '../crypto/keyring'
import { openKeyStore } from '../keys/key-store'
import type { Db } from '../db/db'
import { migrateBackend } from '../db/migrate'
import { openPostgres } from '../db/postgres'
import { openSqlite } from '../db/sqlite'
import { createJobService, type JobService } from './job-service'

const vin = (i: number) => `JBX${String(i).padStart(14, '0')}`

describe.each(['sqlite', 'postgres'] as const)('update jobs on %s', (engine) => {
  const dir = tempDir('ota-jobs')
  let cluster: RunningPostgres | undefined
  let db: Db
  let jobs: JobService
  let releaseId: string

  beforeAll(async () => {
    if (engine === 'postgres') cluster = await startPostgres()
    db = cluster ? openPostgres(await cluster.database('jobs')) : openSqlite(join(dir.dir, 'j.sqlite'))
    await migrateBackend(db)
    const catalog = createCatalog({
      db,
      blobs: createBlobStore(createFileBlobs(join(dir.dir, 'blobs'))),
      keys: createKeyring(dir.dir, db, openKeyStore({ kind: 'files' }), async () => {}),
      maxUploadBytes: 1e6
    })
    await db.transaction(async (tx) => {
      for (let i = 0; i < 300; i++) {
        const model = i % 3 === 2 ? 'model_b' : 'model_a'
        await tx.run('INSERT INTO vehicles (vin, model, region, tags, online, created_at) VALUES (?, ?, ?, ?, 1, ?)', [
          vin(i),
          model,
          i % 2 ? 'eu' : 'jp',
          i % 10 ? '[]' : '["pilot"]',
          'x'
        ])
        await tx.run('INSERT INTO ecus (vin, ecu_id, logical_address, zonal_gateway, hardware, software_version) VALUES (?, ?, ?, ?, ?, ?)', [
          vin(i),
          'ECU_001',
          0x1001,
          'ZGW_01',
          'hw-1',
          i % 50 === 0 ? '2.0.0' : '1.0.0'
        ])
      }
    })
    const artifact = await catalog.upload(Readable.from([Buffer.from('firmware')]), 'test')
    const release = await catalog.create({ model: 'model_a', ecu: 'ECU_001', version: '1.1.0', hardware: ['hw-1'], notes: '', artifactSha256: artifact.sha256 }, 'test')
    await catalog.publish(release.id, 'test')
    releaseId = release.id
    jobs = createJobService({ db, catalog })
  })
  afterAll(async () => {
    await db.close()
    await cluster?.stop()
    dir.remove()
  })

  const spec = (overrides: object = {}) =>
    JobSpec.parse({
      name: 'ECU_001 1.1.0',
      releaseId,
      selection: {},
      rollout: { waves: [{ size: { count: 10 }, canary: true }, { size: { percent: 30 } }, { size: { percent: 100 } }] },
      ...overrides
    })

  it('dry-runs the selection: the release’s model, compatible, older than the release', async () => {
    // 200 model_a vehicles, of which 4 already run 2.0.0.
    expect(await jobs.dryRun(spec())).toEqual({ selected: 196, waves: [10, 59, 127] })
    expect((await jobs.dryRun(spec({ selection: { regions: ['jp'] } }))).selected).toBe(96)
    expect((await jobs.dryRun(spec({ selection: { tags: ['pilot'] } }))).selected).toBe(16)
    expect((await jobs.dryRun(spec({ selection: { versionRange: '>=1.0.0 <1.0.1', vins: [vin(0), vin(1), vin(2), vin(3)] } }))).selected).toBe(2)
    expect((await jobs.dryRun(spec({ selection: { models: ['model_b'] } }))).selected).toBe(0)
    await expect(jobs.dryRun(spec({ selection: { versionRange: 'banana' } }))).rejects.toThrow('versionRange "banana" is not a semver range')
  })

  it('creates a running job with every execution queued in its wave', async () => {
    const job = await jobs.create(spec(), 'operator')
    expect(job).toMatchObject({ state: 'running', currentWave: 0, counts: { queued: 196 } })
    expect(job.waves.map((w) => [w.size, w.counts.queued])).toEqual([
      [10, 10],
      [59, 59],
      [127, 127]
    ])
    expect(job.waves[0]!.startedAt).not.toBeNull()
  })

  it('keeps counts by state, wave and failure cause in step with every transition', async () => {
    const job = await jobs.create(spec({ name: 'counting' }), 'operator')
    const members = (await db.all<{ vin: string }>('SELECT vin FROM executions WHERE job_id = ? AND wave = 0 ORDER BY vin', [job.id])).map((r) => r.vin)
    for (const v of members) expect(await jobs.transition(job.id, v, { kind: 'notify' })).toEqual({ ok: true, state: 'notified' })
    for (const v of members.slice(0, 7)) {
      for (const step of ['downloading', 'verifying', 'installing', 'rebooting', 'done'] as const) await jobs.transition(job.id, v, { kind: 'step', step })
    }
    await jobs.transition(job.id, members[7]!, { kind: 'step', step: 'failed' }, 'hash-mismatch')
    await jobs.transition(job.id, members[8]!, { kind: 'step', step: 'failed' }, 'low-battery')
    await jobs.transition(job.id, members[9]!, { kind: 'timeout' })
    expect(await jobs.transition(job.id, members[0]!, { kind: 'step', step: 'downloading' })).toEqual({ ok: false, reason: 'step downloading is not allowed from succeeded' })

    const after = await jobs.view(job.id)
    expect(after.waves[0]!.counts).toEqual({ succeeded: 7, failed: 2, timed_out: 1 })
    expect(after.failureCauses).toEqual({ 'hash-mismatch': 1, 'low-battery': 1, timeout: 1 })
    const truth = await db.all<{ state: string; n: number }>('SELECT state, COUNT(*) AS n FROM executions WHERE job_id = ? GROUP BY state', [job.id])
    expect(Object.fromEntries(truth.map((r) => [r.state, Number(r.n)]))).toEqual(after.counts)

    const retried = await jobs.retryFailed(job.id)
    expect(retried.waves[0]!.counts).toEqual({ succeeded: 7, queued: 3 })
    expect(retried.failureCauses).toEqual({})
  })

  it('pauses, resumes, and cancels what has not started, leaving running installs to stop', async () => {
    const job = await jobs.create(spec({ name: 'to cancel' }), 'operator')
    const [a, b] = (await db.all<{ vin: string }>('SELECT vin FROM executions WHERE job_id = ? AND wave = 0 ORDER BY vin LIMIT 2', [job.id])).map((r) => r.vin)
    await jobs.transition(job.id, a!, { kind: 'notify' })
    await jobs.transition(job.id, a!, { kind: 'step', step: 'installing' })
    await jobs.transition(job.id, b!, { kind: 'notify' })
    expect((await jobs.act(job.id, 'pause', 'operator')).state).toBe('paused')
    await expect(jobs.act(job.id, 'pause')).rejects.toThrow('a paused job cannot pause')
    expect((await jobs.act(job.id, 'resume')).state).toBe('running')
    const canceled = await jobs.act(job.id, 'cancel', 'canceled by operator')
    expect(canceled).toMatchObject({ state: 'canceled', reason: 'canceled by operator', counts: { installing: 1, canceled: 195 } })
    await expect(jobs.act(job.id, 'resume')).rejects.toThrow('a canceled job cannot resume')
  })

  it('adds vehicles to a running job, in its current wave, naming those it cannot take', async () => {
    const job = await jobs.create(spec({ name: 'growing', selection: { vins: [vin(0), vin(1)] }, rollout: { waves: [{ size: { percent: 100 } }] } }), 'operator')
    expect(job.counts).toEqual({ queued: 1 }) // vin(0) already runs 2.0.0
    const r = await jobs.addVehicles(job.id, [vin(1), vin(3), vin(2), vin(4)])
    expect(r.added).toEqual([vin(3), vin(4)])
    expect(r.skipped.map((s) => s.vin)).toEqual([vin(1), vin(2)])
    expect(r.skipped[0]!.reason).toBe('already in the job')
    expect(r.job.waves[0]).toMatchObject({ size: 3, counts: { queued: 3 } })
    await jobs.act(job.id, 'cancel')
    await expect(jobs.addVehicles(job.id, [vin(6)])).rejects.toThrow('a canceled job takes no more vehicles')
  })
})
