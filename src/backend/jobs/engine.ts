import type { ExecutionState, JobSpec } from '../../shared/fleet/jobs'
import type { OfferedUpdate } from '../../shared/fleet/device'
import type { JobRollup, UpdateNotify, UpdateProgress } from '../../shared/protocol/messages'
import type { JobView } from '../../shared/fleet/jobs'
import type { Catalog, UnkeyedOffer } from '../catalog/catalog'
import type { DataKeys } from '../crypto/data-keys'
import type { Db } from '../db/db'
import { eventOfProgress } from './execution-machine'
import type { JobService } from './job-service'
import { windowOpen } from './maintenance'
import { notificationBudget } from './rate'
import type { Lease } from './lease'
import { evaluateWave } from './thresholds'

const IN_FLIGHT: readonly ExecutionState[] = ['notified', 'accepted', 'downloading', 'verifying', 'installing', 'rebooting']
/** Not finished, though no longer taking a slot of the rollout: installed, in the health window. */
const OPEN: readonly ExecutionState[] = ['queued', ...IN_FLIGHT, 'monitoring']
const FAILED: readonly ExecutionState[] = ['failed', 'timed_out']
const TERMINAL: readonly ExecutionState[] = ['rejected', 'succeeded', 'failed', 'timed_out', 'canceled']

export interface EngineDeps {
  db: Db
  jobs: JobService
  catalog: Catalog
  /** Wraps the release's data key for each vehicle notified. */
  dataKeys: Pick<DataKeys, 'keyed'>
  /** Sends update/notify to one vehicle (QoS 1: an offline vehicle gets it when it is back). */
  notify(vin: string, message: UpdateNotify): Promise<unknown>
  /** Publishes a job's rollup for consoles. */
  publishRollup?(rollup: JobRollup): Promise<unknown>
  now?: () => number
  /** A notification not answered by any report within this long is sent again (QoS 1 has limits: a broker that lost its sessions). */
  renotifyAfterMs?: number
  /** Among instances sharing the database, only the lease holder drives jobs. */
  lease?: Lease
  log(line: string): void
}

const sum = (counts: Record<string, number>, states: readonly string[]) => states.reduce((n, s) => n + (counts[s] ?? 0), 0)

/**
 * Drives running jobs: starts scheduled ones, times executions out, judges the current wave
 * against its thresholds (advance, pause, abort, complete), and notifies the next vehicles
 * within the in-flight limit, the rate and their maintenance windows. Every transition is
 * persisted before the vehicle is told.
 */
export function createJobEngine(deps: EngineDeps) {
  const now = deps.now ?? Date.now
  const carried = new Map<string, number>()
  let lastTick = now()
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const offerFor = async (releaseId: string, model: string) => (await deps.catalog.publishedBlob(releaseId, model)).offer

  /** Tells one vehicle of a job, with the data key wrapped for it; a vehicle with no key to wrap to is left to time out, and logged. */
  async function notifyOne(jobId: string, job: JobView, vin: string, offer: UnkeyedOffer, t: number) {
    let keyed: OfferedUpdate
    try {
      keyed = await deps.dataKeys.keyed(vin, await deps.catalog.offerTo(vin, offer))
    } catch (err) {
      return deps.log(`job ${jobId}: ${vin} not notified: ${(err as Error).message}`)
    }
    await deps.notify(vin, { jobId, releaseId: job.releaseId, ecu: offer.ecu, version: offer.version, action: job.spec.actionType, offer: keyed, at: new Date(t).toISOString() })
  }

  /**
   * Installed executions whose health window has passed: healthy when the vehicle is online (a
   * failure it reported in the window has already failed the execution), failed when it went
   * offline and has not come back. Answers whether any moved.
   */
  async function closeHealthWindows(id: string, spec: JobSpec, t: number) {
    const { healthWindowMinutes } = spec.thresholds
    if (healthWindowMinutes <= 0) return false
    const due = await deps.db.all<{ vin: string; online: number }>(
      "SELECT e.vin, v.online FROM executions e JOIN vehicles v ON v.vin = e.vin WHERE e.job_id = ? AND e.state = 'monitoring' AND e.updated_at < ?",
      [id, new Date(t - healthWindowMinutes * 60_000).toISOString()]
    )
    for (const d of due) {
      const healthy = Number(d.online) === 1
      await deps.jobs.transition(id, d.vin, { kind: 'health', healthy }, healthy ? undefined : 'offline-after-install')
    }
    return due.length > 0
  }

  async function driveJob(id: string, elapsedMs: number) {
    let job = await deps.jobs.view(id)
    const spec: JobSpec = job.spec
    const t = now()
    if (job.state === 'scheduled') {
      if (spec.schedule.startAt && Date.parse(spec.schedule.startAt) > t) return
      job = await deps.jobs.act(id, 'start')
    }
    // A paused job's health windows still close: the verdict is the vehicle's, not the rollout's.
    if ((job.state === 'running' || job.state === 'paused') && (await closeHealthWindows(id, spec, t))) job = await deps.jobs.view(id)
    if (job.state !== 'running') return

    // Executions that outlived their timeout.
    const cutoff = new Date(t - spec.thresholds.executionTimeoutMinutes * 60_000).toISOString()
    const stale = await deps.db.all<{ vin: string }>(`SELECT vin FROM executions WHERE job_id = ? AND state IN (${IN_FLIGHT.map(() => '?').join(',')}) AND updated_at < ?`, [
      id,
      ...IN_FLIGHT,
      cutoff
    ])
    for (const s of stale) await deps.jobs.transition(id, s.vin, { kind: 'timeout' })
    // Reports lost in a restart are recovered from what vehicles say they run: an execution in
    // flight whose ECU already reports the release's version has succeeded.
    const installed = await deps.db.all<{ vin: string }>(
      `SELECT e.vin FROM executions e JOIN releases r ON r.id = ? JOIN ecus c ON c.vin = e.vin AND c.ecu_id = r.ecu AND c.software_version = r.version
       WHERE e.job_id = ? AND e.state IN (${IN_FLIGHT.map(() => '?').join(',')})`,
      [job.releaseId, id, ...IN_FLIGHT]
    )
    for (const s of installed) await deps.jobs.transition(id, s.vin, { kind: 'step', step: 'done' })
    if (stale.length || installed.length) job = await deps.jobs.view(id)

    // Notifications nobody answered (lost with a broker's sessions) go out again.
    const unanswered = await deps.db.all<{ vin: string; model: string }>(
      "SELECT e.vin, v.model FROM executions e JOIN vehicles v ON v.vin = e.vin WHERE e.job_id = ? AND e.state = 'notified' AND e.notified_at < ?",
      [id, new Date(t - (deps.renotifyAfterMs ?? 60_000)).toISOString()]
    )
    if (unanswered.length) {
      const offer = await offerFor(job.releaseId, unanswered[0]!.model)
      for (const u of unanswered) {
        await deps.db.run('UPDATE executions SET notified_at = ? WHERE job_id = ? AND vin = ?', [new Date(t).toISOString(), id, u.vin])
        await notifyOne(id, job, u.vin, offer, t)
      }
    }

    // The current wave, judged by its thresholds.
    const wave = job.waves[job.currentWave]
    if (wave) {
      const verdict = evaluateWave(
        {
          wave: wave.wave + 1,
          // Failures accepted by a resume no longer count against the wave's success share.
          size: wave.size - wave.accepted.failed,
          succeeded: wave.counts.succeeded ?? 0,
          failed: sum(wave.counts, FAILED) - wave.accepted.failed,
          finished: sum(wave.counts, TERMINAL) - wave.accepted.finished
        },
        spec.thresholds
      )
      if (verdict.kind === 'pause' || verdict.kind === 'abort') {
        await deps.jobs.act(id, verdict.kind, verdict.reason)
        deps.log(`job ${id} ${verdict.kind}d: ${verdict.reason}`)
        return
      }
      if (verdict.kind === 'advance' && job.currentWave < job.waves.length - 1) {
        await deps.db.run('UPDATE jobs SET current_wave = ? WHERE id = ? AND current_wave = ?', [job.currentWave + 1, id, job.currentWave])
        await deps.db.run('UPDATE job_waves SET started_at = ? WHERE job_id = ? AND wave = ?', [new Date(t).toISOString(), id, job.currentWave + 1])
        job = await deps.jobs.view(id)
      }
    }
    const ended = spec.schedule.endAt !== undefined && Date.parse(spec.schedule.endAt) <= t
    if (ended && (job.counts.queued ?? 0) > 0) job = await deps.jobs.endTimeReached(id, spec.schedule.endAt!)
    const open = sum(job.counts, OPEN)
    if (open === 0) {
      await deps.jobs.act(id, 'complete', ended ? job.reason : null)
      return
    }
    if (ended) return

    // Who to notify now.
    const queuedNow = job.waves.filter((w) => w.wave <= job.currentWave).reduce((n, w) => n + (w.counts.queued ?? 0), 0)
    const budget = notificationBudget({
      rollout: spec.rollout,
      inFlight: sum(job.counts, IN_FLIGHT),
      queued: queuedNow,
      succeeded: job.counts.succeeded ?? 0,
      elapsedMs,
      carried: carried.get(id) ?? 0
    })
    carried.set(id, budget.carried)
    if (budget.notify === 0) return
    const candidates = await deps.db.all<{ vin: string; time_zone: string; model: string }>(
      `SELECT e.vin, v.time_zone, v.model FROM executions e JOIN vehicles v ON v.vin = e.vin
       WHERE e.job_id = ? AND e.wave <= ? AND e.state = 'queued' AND e.offline_bundle_id IS NULL ORDER BY e.wave, e.vin LIMIT ?`,
      [id, job.currentWave, budget.notify * 4]
    )
    const chosen = candidates.filter((c) => windowOpen(spec.schedule.maintenanceWindows, t, c.time_zone)).slice(0, budget.notify)
    if (chosen.length === 0) return
    const offer = await offerFor(job.releaseId, chosen[0]!.model)
    for (const c of chosen) {
      const moved = await deps.jobs.transition(id, c.vin, { kind: 'notify' })
      if (!moved.ok) continue
      await notifyOne(id, job, c.vin, offer, t)
    }
  }

  // Finished-execution samples per job, for the rate and the ETA.
  const samples = new Map<string, { t: number; finished: number }[]>()

  function rollupOf(job: JobView, t: number): JobRollup {
    const finished = sum(job.counts, TERMINAL)
    const history = [...(samples.get(job.id) ?? []), { t, finished }].filter((s) => t - s.t <= 90_000)
    samples.set(job.id, history)
    const first = history[0]!
    const minutes = (t - first.t) / 60_000
    const ratePerMinute = minutes > 0 ? (finished - first.finished) / minutes : 0
    const open = sum(job.counts, OPEN)
    return {
      jobId: job.id,
      state: job.state,
      reason: job.reason,
      currentWave: job.currentWave,
      counts: job.counts,
      waves: job.waves.map((w) => ({ wave: w.wave, size: w.size, counts: w.counts })),
      failureCauses: job.failureCauses,
      ratePerMinute: Math.round(ratePerMinute * 10) / 10,
      etaSeconds: ratePerMinute > 0 && job.state === 'running' ? Math.round((open / ratePerMinute) * 60) : null,
      at: new Date(t).toISOString()
    }
  }

  const ROLLUP_MIN_INTERVAL_MS = 500
  const lastRollup = new Map<string, { key: string; at: number }>()

  /** A job's rollup when something changed, at most twice a second whatever the tick. */
  async function publishRollup(id: string, t: number) {
    const last = lastRollup.get(id)
    if (!deps.publishRollup || (last && t - last.at < ROLLUP_MIN_INTERVAL_MS)) return
    const rollup = rollupOf(await deps.jobs.view(id), t)
    const key = JSON.stringify([rollup.state, rollup.reason, rollup.currentWave, rollup.counts, rollup.failureCauses])
    if (last?.key === key) return
    lastRollup.set(id, { key, at: t })
    await deps.publishRollup(rollup)
  }

  const stopSent = new Set<string>()

  /** Installs still running in a canceled or aborted job are told to stop when they safely can. */
  async function tellCanceledToStop(t: number) {
    const ended = await deps.db.all<{ id: string; release_id: string }>("SELECT id, release_id FROM jobs WHERE state IN ('canceled', 'aborted') AND finished_at > ?", [
      new Date(t - 3_600_000).toISOString()
    ])
    for (const job of ended) {
      const running = await deps.db.all<{ vin: string; ecu: string; version: string }>(
        `SELECT e.vin, r.ecu, r.version FROM executions e JOIN releases r ON r.id = ? WHERE e.job_id = ? AND e.state IN (${IN_FLIGHT.map(() => '?').join(',')})`,
        [job.release_id, job.id, ...IN_FLIGHT]
      )
      for (const r of running) {
        const key = `${job.id}/${r.vin}`
        if (stopSent.has(key)) continue
        stopSent.add(key)
        await deps.notify(r.vin, { jobId: job.id, releaseId: job.release_id, ecu: r.ecu, version: r.version, action: 'cancel', at: new Date(t).toISOString() })
      }
    }
  }

  /**
   * When this instance takes the jobs over (at its start, or from an instance that died), every
   * vehicle with an install in flight is told its offer again: the reports it sent may have died
   * with the other instance. A vehicle that has installed answers done at once; one still busy
   * finishes first and then does; none installs twice.
   */
  async function askInFlightAgain(t: number) {
    const rows = await deps.db.all<{ job_id: string; vin: string; model: string }>(
      `SELECT e.job_id, e.vin, v.model FROM executions e JOIN jobs j ON j.id = e.job_id JOIN vehicles v ON v.vin = e.vin
       WHERE j.state IN ('running', 'paused') AND e.state IN (${IN_FLIGHT.filter((s) => s !== 'notified')
         .map(() => '?')
         .join(',')})`,
      IN_FLIGHT.filter((s) => s !== 'notified')
    )
    // One job view and one offer per job and model, not per vehicle.
    const jobs = new Map<string, Promise<JobView>>()
    const offers = new Map<string, Promise<UnkeyedOffer>>()
    for (const r of rows) {
      if (!jobs.has(r.job_id)) jobs.set(r.job_id, deps.jobs.view(r.job_id))
      const job = await jobs.get(r.job_id)!
      const key = `${r.job_id}/${r.model}`
      if (!offers.has(key)) offers.set(key, offerFor(job.releaseId, r.model))
      await notifyOne(r.job_id, job, r.vin, await offers.get(key)!, t)
    }
    if (rows.length) deps.log(`took the jobs over: asked ${rows.length} vehicles with an install in flight again`)
  }

  let leading = false
  async function tick() {
    const t = now()
    const elapsed = t - lastTick
    lastTick = t
    if (deps.lease && !(await deps.lease.acquire(t))) return void (leading = false)
    if (!leading) {
      leading = true
      await askInFlightAgain(t).catch((err: Error) => deps.log(`taking the jobs over: ${err.message}`))
    }
    // Paused jobs too: their installs in flight still report, and consoles should see it.
    // Jobs that just ended, too, so their final rollup goes out even when the throttle held it back.
    const active = await deps.db.all<{ id: string }>("SELECT id FROM jobs WHERE state IN ('scheduled', 'running', 'paused') OR finished_at > ?", [
      new Date(t - 10_000).toISOString()
    ])
    await tellCanceledToStop(t)
    for (const { id } of active) {
      try {
        await driveJob(id, elapsed)
        await publishRollup(id, t)
      } catch (err) {
        deps.log(`job ${id}: ${(err as Error).message}`)
      }
    }
  }

  return {
    tick: () => (running = running.then(tick)),
    /** A vehicle's report about a job's execution. */
    async report(vin: string, p: UpdateProgress) {
      if (!p.jobId) return undefined
      const moved = await deps.jobs.transition(p.jobId, vin, eventOfProgress(p.step, p.deferUntil, now()), p.cause, Math.round(p.percent))
      if (p.step === 'done' && p.delivery) await deps.jobs.recordDelivery(p.jobId, vin, p.delivery, p.downloadedBytes ?? 0)
      return moved
    },
    start(intervalMs = 500) {
      timer = setInterval(() => void this.tick(), intervalMs)
    },
    async stop() {
      clearInterval(timer)
      await running
      await deps.lease?.release()
    }
  }
}
export type JobEngine = ReturnType<typeof createJobEngine>
