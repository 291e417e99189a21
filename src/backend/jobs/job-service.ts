import { randomBytes } from 'node:crypto'
import { ENDED_JOB_STATES, JobSpec, type ExecutionPage, type ExecutionQuery, type ExecutionState, type JobState, type JobView } from '../../shared/fleet/jobs'
import type { FailureCause } from '../../shared/protocol/messages'
import type { Catalog } from '../catalog/catalog'
import type { Db } from '../db/db'
import { badRequest, conflict, forbidden, notFound } from '../http/errors'
import { nextExecutionState, type ExecutionEvent } from './execution-machine'
import { nextJobState, type JobAction } from './job-machine'
import { selectVehicles } from './selection'
import { planWaves } from './wave-plan'

interface JobRow {
  id: string
  name: string
  release_id: string
  spec: string
  state: JobState
  reason: string | null
  current_wave: number
  created_at: string
  created_by: string
  approval_required_by: string | null
}

interface ApprovalRow {
  decision: 'approved' | 'rejected'
  decided_by: string
  role: string
  comment: string
  decided_at: string
}

/** Who decides on a job that waits for approval: never the person who created it. */
export interface Approver {
  name: string
  role: string
}

const INSERT_CHUNK = 400

/** Update jobs: created from a spec, executions stored with their wave, counters kept per transition. */
export function createJobService(deps: { db: Db; catalog: Catalog }) {
  const { db, catalog } = deps

  const plan = async (spec: JobSpec) => {
    const release = await catalog.get(spec.releaseId)
    if (!release.published) throw badRequest(`release ${release.id} is not published to ${release.model}; publish it first`)
    let vins: string[]
    try {
      vins = await selectVehicles(db, release, spec.selection)
    } catch (err) {
      throw badRequest((err as Error).message)
    }
    return { release, vins, waves: planWaves(vins.length, spec.rollout.waves) }
  }

  const bump = (tx: Db, jobId: string, wave: number, state: ExecutionState, cause: string | null, by: number) =>
    tx.run(
      `INSERT INTO job_counts (job_id, wave, state, cause, n) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (job_id, wave, state, cause) DO UPDATE SET n = job_counts.n + excluded.n`,
      [jobId, wave, state, cause ?? '', by]
    )

  async function view(id: string): Promise<JobView> {
    const job = await db.get<JobRow>('SELECT * FROM jobs WHERE id = ?', [id])
    if (!job) throw notFound(`job ${id}`)
    const waves = await db.all<{ wave: number; size: number; started_at: string | null; ack_failed: number; ack_finished: number }>(
      'SELECT wave, size, started_at, ack_failed, ack_finished FROM job_waves WHERE job_id = ? ORDER BY wave',
      [id]
    )
    const counts = await db.all<{ wave: number; state: string; cause: string; n: number }>('SELECT wave, state, cause, n FROM job_counts WHERE job_id = ? AND n > 0', [id])
    const approval = job.approval_required_by
      ? await db.get<ApprovalRow>('SELECT decision, decided_by, role, comment, decided_at FROM job_approvals WHERE job_id = ?', [id])
      : undefined
    const delivered = await db.all<{ delivery: string; n: number; bytes_saved: number }>('SELECT delivery, n, bytes_saved FROM job_delivery WHERE job_id = ?', [id])
    const deliveredBy = (kind: string) => delivered.find((d) => d.delivery === kind)
    const sum = (rows: typeof counts, key: (r: (typeof counts)[number]) => string) =>
      rows.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + Number(r.n)), acc), {})
    return {
      id: job.id,
      name: job.name,
      releaseId: job.release_id,
      state: job.state,
      reason: job.reason,
      currentWave: Number(job.current_wave),
      spec: JobSpec.parse(JSON.parse(job.spec)),
      waves: waves.map((w) => ({
        wave: Number(w.wave),
        size: Number(w.size),
        startedAt: w.started_at,
        counts: sum(
          counts.filter((c) => Number(c.wave) === Number(w.wave)),
          (r) => r.state
        ),
        accepted: { failed: Number(w.ack_failed), finished: Number(w.ack_finished) }
      })),
      counts: sum(counts, (r) => r.state),
      failureCauses: sum(
        counts.filter((c) => c.cause),
        (r) => r.cause
      ),
      createdAt: job.created_at,
      createdBy: job.created_by,
      delivery: {
        delta: Number(deliveredBy('delta')?.n ?? 0),
        full: Number(deliveredBy('full')?.n ?? 0),
        fallback: Number(deliveredBy('delta-fallback')?.n ?? 0),
        bytesSaved: delivered.reduce((n, d) => n + Number(d.bytes_saved), 0)
      },
      approval: job.approval_required_by
        ? {
            requiredBy: job.approval_required_by,
            decision: approval?.decision ?? null,
            by: approval?.decided_by ?? null,
            role: approval?.role ?? null,
            comment: approval?.comment ?? null,
            at: approval?.decided_at ?? null
          }
        : null
    }
  }

  /** What asks for a second person's approval of a job: its template, or its release's device model. */
  async function approvalNeeded(model: string, template?: { name: string; requireApproval: boolean }) {
    if (template?.requireApproval) return `policy ${template.name}`
    const rule = await db.get<{ require_approval: number }>('SELECT require_approval FROM model_approval WHERE model = ?', [model])
    return rule && Number(rule.require_approval) ? `model ${model}` : null
  }

  const service = {
    view,

    /** How many vehicles a spec selects, and the wave sizes, before anything is created. */
    async dryRun(spec: JobSpec) {
      const { vins, waves } = await plan(spec)
      return { selected: vins.length, waves }
    },

    /** A job from a spec (and the template it came from); it waits for approval when its template or model asks for one. */
    async create(spec: JobSpec, by: string, template?: { name: string; requireApproval: boolean }): Promise<JobView> {
      const { release, vins, waves } = await plan(spec)
      if (vins.length === 0) throw badRequest('the selection matches no vehicle that can take this release')
      const id = `job_${randomBytes(8).toString('hex')}`
      const now = new Date().toISOString()
      const approvalBy = await approvalNeeded(release.model, template)
      const scheduled = approvalBy !== null || (spec.schedule.startAt !== undefined && Date.parse(spec.schedule.startAt) > Date.now())
      await db.transaction(async (tx) => {
        await tx.run(
          'INSERT INTO jobs (id, name, release_id, spec, state, reason, current_wave, created_at, created_by, started_at, approval_required_by) VALUES (?, ?, ?, ?, ?, NULL, 0, ?, ?, ?, ?)',
          [id, spec.name, spec.releaseId, JSON.stringify(spec), approvalBy ? 'waiting_approval' : scheduled ? 'scheduled' : 'running', now, by, scheduled ? null : now, approvalBy]
        )
        let offset = 0
        for (const [wave, size] of waves.entries()) {
          await tx.run('INSERT INTO job_waves (job_id, wave, size, started_at) VALUES (?, ?, ?, ?)', [id, wave, size, wave === 0 && !scheduled ? now : null])
          const members = vins.slice(offset, offset + size)
          offset += size
          // Multi-row inserts: 100,000 executions go in well under the 5 s the issue allows.
          for (let i = 0; i < members.length; i += INSERT_CHUNK) {
            const chunk = members.slice(i, i + INSERT_CHUNK)
            await tx.run(
              `INSERT INTO executions (job_id, vin, wave, state, updated_at) VALUES ${chunk.map(() => "(?, ?, ?, 'queued', ?)").join(', ')}`,
              chunk.flatMap((vin) => [id, vin, wave, now])
            )
          }
          if (size > 0) await bump(tx, id, wave, 'queued', null, size)
        }
      })
      return view(id)
    },

    async list() {
      const rows = await db.all<{ id: string }>('SELECT id FROM jobs ORDER BY created_at DESC LIMIT 200')
      return Promise.all(rows.map((r) => view(r.id)))
    },

    /** An operator's or a threshold's action on a job; reason says why, in words. */
    async act(id: string, action: JobAction, reason: string | null = null) {
      await db.transaction((tx) => actIn(tx, id, action, reason))
      return view(id)
    },

    /**
     * The second pair of eyes: approves (the job then starts, or waits for its start time) or
     * rejects (it never starts) a job that waits for approval. Its creator may do neither.
     */
    async decide(id: string, decision: 'approve' | 'reject', approver: Approver, comment: string) {
      await db.transaction(async (tx) => {
        const job = await tx.get<JobRow>('SELECT created_by, approval_required_by FROM jobs WHERE id = ?', [id])
        if (!job) throw notFound(`job ${id}`)
        if (!job.approval_required_by) throw conflict(`job ${id} needs no approval`)
        if (job.created_by === approver.name) throw forbidden(`${approver.name} created job ${id} and may not ${decision} it: another person with job.approve decides`)
        await actIn(tx, id, decision, decision === 'reject' ? `rejected by ${approver.name}: ${comment}` : null)
        await tx.run('INSERT INTO job_approvals (job_id, decision, decided_by, role, comment, decided_at) VALUES (?, ?, ?, ?, ?, ?)', [
          id,
          decision === 'approve' ? 'approved' : 'rejected',
          approver.name,
          approver.role,
          comment,
          new Date().toISOString()
        ])
      })
      return view(id)
    },

    /**
     * How a vehicle that installed got the image (its done report says), counted per job once
     * per execution: a delta saves what the full sealed image would have cost beyond its bytes.
     */
    async recordDelivery(jobId: string, vin: string, delivery: 'full' | 'delta' | 'delta-fallback', downloadedBytes: number) {
      await db.transaction(async (tx) => {
        const { changes } = await tx.run('UPDATE executions SET delivery = ? WHERE job_id = ? AND vin = ? AND delivery IS NULL', [delivery, jobId, vin])
        if (!changes) return
        const full = await tx.get<{ blob_size: number }>('SELECT p.blob_size FROM jobs j JOIN publications p ON p.release_id = j.release_id WHERE j.id = ?', [jobId])
        const saved = delivery === 'delta' && full ? Math.max(0, Number(full.blob_size) - downloadedBytes) : 0
        await tx.run(
          `INSERT INTO job_delivery (job_id, delivery, n, bytes_saved) VALUES (?, ?, 1, ?)
           ON CONFLICT (job_id, delivery) DO UPDATE SET n = job_delivery.n + 1, bytes_saved = job_delivery.bytes_saved + excluded.bytes_saved`,
          [jobId, delivery, saved]
        )
      })
    },

    /** Adds vehicles to a job that has not ended, in its current wave; those it cannot take are named. */
    async addVehicles(id: string, vins: string[]) {
      const job = await view(id)
      if (ENDED_JOB_STATES.includes(job.state)) throw conflict(`a ${job.state} job takes no more vehicles`)
      const release = await catalog.get(job.releaseId)
      const eligible = new Set(await selectVehicles(db, release, { ...job.spec.selection, vins }))
      const present = new Set(
        (await db.all<{ vin: string }>(`SELECT vin FROM executions WHERE job_id = ? AND vin IN (${vins.map(() => '?').join(',')})`, [id, ...vins])).map((r) => r.vin)
      )
      const added = vins.filter((v) => eligible.has(v) && !present.has(v))
      const now = new Date().toISOString()
      await db.transaction(async (tx) => {
        for (let i = 0; i < added.length; i += INSERT_CHUNK) {
          const chunk = added.slice(i, i + INSERT_CHUNK)
          await tx.run(
            `INSERT INTO executions (job_id, vin, wave, state, updated_at) VALUES ${chunk.map(() => "(?, ?, ?, 'queued', ?)").join(', ')}`,
            chunk.flatMap((vin) => [id, vin, job.currentWave, now])
          )
        }
        if (added.length) {
          await tx.run('UPDATE job_waves SET size = size + ? WHERE job_id = ? AND wave = ?', [added.length, id, job.currentWave])
          await bump(tx, id, job.currentWave, 'queued', null, added.length)
        }
      })
      return {
        added,
        skipped: vins
          .filter((v) => !added.includes(v))
          .map((vin) => ({
            vin,
            reason: present.has(vin) ? 'already in the job' : 'not eligible: another model, incompatible hardware, already up to date, or outside the selection'
          })),
        job: await view(id)
      }
    },

    /** A job's executions in VIN order, by state and wave, keyset-paged (never an OFFSET scan). */
    async executions(id: string, query: ExecutionQuery): Promise<ExecutionPage> {
      await view(id)
      const conditions: [string, unknown][] = [['job_id = ?', id]]
      if (query.state) conditions.push(['state = ?', query.state])
      if (query.wave !== undefined) conditions.push(['wave = ?', query.wave])
      if (query.cursor) conditions.push(['vin > ?', query.cursor])
      const where = conditions.map(([sql]) => sql)
      const args = conditions.map(([, value]) => value)
      const rows = await db.all<{
        vin: string
        wave: number
        state: ExecutionState
        cause: string | null
        percent: number
        attempts: number
        notified_at: string | null
        updated_at: string
      }>(`SELECT vin, wave, state, cause, percent, attempts, notified_at, updated_at FROM executions WHERE ${where.join(' AND ')} ORDER BY vin LIMIT ?`, [...args, query.limit + 1])
      const page = rows.slice(0, query.limit)
      return {
        executions: page.map((r) => ({
          vin: r.vin,
          wave: Number(r.wave),
          state: r.state,
          cause: r.cause,
          percent: Number(r.percent),
          attempts: Number(r.attempts),
          notifiedAt: r.notified_at,
          updatedAt: r.updated_at
        })),
        nextCursor: rows.length > query.limit ? (page.at(-1)?.vin ?? null) : null
      }
    },

    /**
     * A download-only job's "install on command": a forced job over the vehicles that downloaded
     * and verified the release, with the same waves and thresholds, so the install is staged and
     * watched like any other job. Vehicles install from what they already hold.
     */
    async installDownloaded(id: string, by: string, name?: string) {
      const job = await view(id)
      if (job.spec.actionType !== 'download-only') throw conflict(`job ${id} is ${job.spec.actionType}: only a download-only job's vehicles wait for an install command`)
      const rows = await db.all<{ vin: string }>("SELECT vin FROM executions WHERE job_id = ? AND state = 'succeeded' ORDER BY vin", [id])
      if (rows.length === 0) throw conflict(`no vehicle of job ${id} has downloaded the release yet`)
      const spec = JobSpec.parse({
        ...job.spec,
        name: name ?? `${job.name} — install`.slice(0, 120),
        actionType: 'forced',
        selection: { vins: rows.map((r) => r.vin) },
        schedule: { maintenanceWindows: job.spec.schedule.maintenanceWindows }
      })
      return service.create(spec, by)
    },

    /**
     * The job's end time has passed: vehicles not yet notified never will be (canceled, and the
     * reason says so); installs under way finish, and then the job completes.
     */
    async endTimeReached(id: string, endAt: string) {
      await db.transaction(async (tx) => {
        const canceled = await cancelAll(tx, id, 'queued')
        const reason = `its end time (${endAt}) passed${canceled ? `: ${canceled} vehicle${canceled === 1 ? ' was' : 's were'} not reached and canceled` : ''}`
        await tx.run('UPDATE jobs SET reason = ? WHERE id = ?', [reason, id])
      })
      return view(id)
    },

    /** Failed and timed-out executions go back to the queue of their wave. */
    async retryFailed(id: string) {
      await view(id)
      await db.transaction(async (tx) => {
        for (const state of ['failed', 'timed_out'] as const) {
          const rows = await tx.all<{ vin: string }>('SELECT vin FROM executions WHERE job_id = ? AND state = ?', [id, state])
          for (const r of rows) await transitionIn(tx, id, r.vin, { kind: 'retry' })
        }
      })
      return service.act(id, 'resume').catch(() => view(id))
    },

    /** One execution's next state, persisted with its counters before anyone is told. */
    transition: (jobId: string, vin: string, event: ExecutionEvent, cause?: FailureCause, percent?: number) =>
      db.transaction((tx) => transitionIn(tx, jobId, vin, event, cause, percent))
  }

  /** A job's next state and what it implies, in the caller's transaction; the state read there is the one judged. */
  async function actIn(tx: Db, id: string, action: JobAction, reason: string | null) {
    // Two decisions at once (two approvers, an approver and a cancel) are judged one after the other.
    const job = await tx.get<JobRow>(`SELECT state FROM jobs WHERE id = ?${tx.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, [id])
    if (!job) throw notFound(`job ${id}`)
    const next = nextJobState(job.state, action)
    if (!next.ok) throw conflict(next.reason)
    const at = new Date().toISOString()
    const finished = ENDED_JOB_STATES.includes(next.state) ? at : null
    await tx.run('UPDATE jobs SET state = ?, reason = ?, finished_at = COALESCE(?, finished_at) WHERE id = ?', [next.state, reason, finished, id])
    if (action === 'start') {
      await tx.run('UPDATE jobs SET started_at = COALESCE(started_at, ?) WHERE id = ?', [at, id])
      await tx.run('UPDATE job_waves SET started_at = COALESCE(started_at, ?) WHERE job_id = ? AND wave = 0', [at, id])
    }
    if (action === 'resume') {
      // Resuming accepts the failures so far: the threshold judges only what follows.
      await tx.run(
        `UPDATE job_waves SET
           ack_failed = (SELECT COALESCE(SUM(n), 0) FROM job_counts c WHERE c.job_id = job_waves.job_id AND c.wave = job_waves.wave AND c.state IN ('failed', 'timed_out')),
           ack_finished = (SELECT COALESCE(SUM(n), 0) FROM job_counts c WHERE c.job_id = job_waves.job_id AND c.wave = job_waves.wave AND c.state IN ('rejected', 'succeeded', 'failed', 'timed_out', 'canceled'))
         WHERE job_id = ?`,
        [id]
      )
    }
    if (action === 'cancel' || action === 'abort' || action === 'reject') {
      // What has not started is canceled; running installs are told to stop by the engine.
      for (const state of ['queued', 'notified'] as const) await cancelAll(tx, id, state)
    }
  }

  /** Cancels every execution of the job in this state; answers how many. */
  async function cancelAll(tx: Db, jobId: string, state: ExecutionState) {
    const byWave = await tx.all<{ wave: number; n: number }>('SELECT wave, COUNT(*) AS n FROM executions WHERE job_id = ? AND state = ? GROUP BY wave', [jobId, state])
    await tx.run("UPDATE executions SET state = 'canceled', updated_at = ? WHERE job_id = ? AND state = ?", [new Date().toISOString(), jobId, state])
    for (const w of byWave) {
      await bump(tx, jobId, Number(w.wave), state, null, -Number(w.n))
      await bump(tx, jobId, Number(w.wave), 'canceled', null, Number(w.n))
    }
    return byWave.reduce((n, w) => n + Number(w.n), 0)
  }

  // A job's spec never changes once created: its health window is read once.
  const healthWindows = new Map<string, number>()
  async function healthWindowMinutes(q: Db, jobId: string) {
    const known = healthWindows.get(jobId)
    if (known !== undefined) return known
    const row = await q.get<{ spec: string }>('SELECT spec FROM jobs WHERE id = ?', [jobId])
    const minutes = row ? JobSpec.parse(JSON.parse(row.spec)).thresholds.healthWindowMinutes : 0
    healthWindows.set(jobId, minutes)
    return minutes
  }

  async function transitionIn(tx: Db, jobId: string, vin: string, event: ExecutionEvent, cause?: FailureCause, percent?: number) {
    // Backend instances sharing PostgreSQL may apply the same report at once: the row lock makes the second see the first's result.
    const lock = tx.dialect === 'postgres' ? ' FOR UPDATE' : ''
    const row = await tx.get<{ state: ExecutionState; wave: number; cause: string | null }>(`SELECT state, wave, cause FROM executions WHERE job_id = ? AND vin = ?${lock}`, [
      jobId,
      vin
    ])
    if (!row) return { ok: false as const, reason: `${vin} is not in job ${jobId}` }
    const next = nextExecutionState(row.state, event, (await healthWindowMinutes(tx, jobId)) > 0)
    // A repeated "done" while monitored keeps the window where the install put it.
    if (!next.ok || (next.state === row.state && (row.state === 'monitoring' || (percent === undefined && event.kind !== 'defer')))) return next
    const newCause = next.state === 'failed' ? (cause ?? 'install-error') : next.state === 'timed_out' ? 'timeout' : null
    // A deferral moves the notification (and the timeout's start) to when the driver wants to be asked again.
    const stamp = event.kind === 'defer' ? event.until : new Date().toISOString()
    await tx.run(
      `UPDATE executions SET state = ?, cause = ?, percent = COALESCE(?, percent), attempts = attempts + ?, notified_at = CASE WHEN ? THEN ? ELSE notified_at END, updated_at = ? WHERE job_id = ? AND vin = ?`,
      [next.state, newCause, percent ?? null, event.kind === 'notify' ? 1 : 0, event.kind === 'notify' || event.kind === 'defer', stamp, stamp, jobId, vin]
    )
    if (next.state !== row.state) {
      await bump(tx, jobId, Number(row.wave), row.state, row.cause, -1)
      await bump(tx, jobId, Number(row.wave), next.state, newCause, 1)
    }
    return next
  }

  return service
}
export type JobService = ReturnType<typeof createJobService>
