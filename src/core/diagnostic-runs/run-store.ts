import type { DiagRunAnswer, DiagRunState, DiagRunSummary, DiagRunVehicle } from '../../shared/calls/diagnostic-runs'
import { DecodedAnswer } from '../../shared/calls/uds-session'
import { EcuSelection } from '../../shared/calls/diagnostic-runs'
import { DiagOperation } from '../../shared/calls/uds-operation'
import { OtaError } from '../../shared/errors'
import type { Db } from '../store/database'
import type { VehicleOutcome } from './batch-runner'

/** Runs kept per profile; older ones go when a new one starts. */
export const KEPT_RUNS = 200

interface RunRow {
  id: string
  operation: string
  ecus: string
  vehicles: number
  state: DiagRunState
  message: string | null
  started_at: string
  finished_at: string | null
  vehicles_done: number
  vehicles_failed: number
  positive: number
  negative: number
  errors: number
}

interface AnswerRow {
  vin: string
  ecu: string
  zonal_gateway: string
  target: number | null
  request: string
  response: string | null
  decoded: string | null
  error_code: string | null
  error: string | null
  elapsed_ms: number
  at: string
}

const summaryOf = (r: RunRow): DiagRunSummary => ({
  id: r.id,
  operation: DiagOperation.parse(JSON.parse(r.operation)),
  ecus: EcuSelection.parse(JSON.parse(r.ecus)),
  vehicles: r.vehicles,
  state: r.state,
  message: r.message,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  vehiclesDone: r.vehicles_done,
  vehiclesFailed: r.vehicles_failed,
  positive: r.positive,
  negative: r.negative,
  errors: r.errors
})

const answerOf = (r: AnswerRow): DiagRunAnswer => ({
  vin: r.vin,
  ecu: r.ecu,
  zonalGateway: r.zonal_gateway,
  target: r.target,
  request: r.request,
  response: r.response,
  decoded: r.decoded === null ? null : DecodedAnswer.parse(JSON.parse(r.decoded)),
  error: r.error_code === null ? null : { code: r.error_code, message: r.error ?? '' },
  elapsedMs: r.elapsed_ms,
  at: r.at
})

/** How a vehicle's answers count in its run's summary. */
export function tally(answers: readonly Pick<DiagRunAnswer, 'decoded' | 'error'>[]) {
  let positive = 0
  let negative = 0
  let errors = 0
  for (const a of answers) {
    if (a.error || !a.decoded) errors++
    else if (a.decoded.kind === 'negative') negative++
    else positive++
  }
  return { positive, negative, errors }
}

/** Diagnostic runs in the console's SQLite store, each belonging to the profile it ran under. */
export function createRunStore(db: Db) {
  const insertVehicle = db.prepare('INSERT INTO diag_run_vehicles (run_id, vin, model, error_code, error, answers, dtcs, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
  const insertAnswer = db.prepare(
    'INSERT INTO diag_run_answers (run_id, vin, ecu, zonal_gateway, target, request, response, decoded, error_code, error, elapsed_ms, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
  )
  const count = db.prepare(
    'UPDATE diag_runs SET vehicles_done = vehicles_done + 1, vehicles_failed = vehicles_failed + ?, positive = positive + ?, negative = negative + ?, errors = errors + ? WHERE id = ?'
  )

  const run = (profileId: string, runId: string): DiagRunSummary => {
    const row = db.prepare('SELECT * FROM diag_runs WHERE id = ? AND profile_id = ?').get(runId, profileId) as RunRow | undefined
    if (!row) throw new OtaError('NOT_FOUND', `No diagnostic run ${runId} in this profile's history.`)
    return summaryOf(row)
  }

  return {
    /** A new run, and the oldest ones beyond KEPT_RUNS removed. */
    create(profileId: string, summary: DiagRunSummary) {
      db.transaction(() => {
        db.prepare('INSERT INTO diag_runs (id, profile_id, operation, ecus, vehicles, state, message, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
          summary.id,
          profileId,
          JSON.stringify(summary.operation),
          JSON.stringify(summary.ecus),
          summary.vehicles,
          summary.state,
          summary.message,
          summary.startedAt,
          summary.finishedAt
        )
        db.prepare('DELETE FROM diag_runs WHERE profile_id = ? AND id NOT IN (SELECT id FROM diag_runs WHERE profile_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?)').run(
          profileId,
          profileId,
          KEPT_RUNS
        )
      })()
    },

    /** One vehicle's outcome, written with its answers and the run's counts in one transaction. */
    addVehicle: db.transaction((runId: string, outcome: VehicleOutcome) => {
      const dtcs = outcome.answers.reduce((n, a) => n + (a.decoded?.kind === 'positive' ? (a.decoded.dtcs?.length ?? 0) : 0), 0)
      insertVehicle.run(runId, outcome.vin, outcome.model, outcome.error?.code ?? null, outcome.error?.message ?? null, outcome.answers.length, dtcs, new Date().toISOString())
      for (const a of outcome.answers) {
        insertAnswer.run(
          runId,
          a.vin,
          a.ecu,
          a.zonalGateway,
          a.target,
          a.request,
          a.response,
          a.decoded ? JSON.stringify(a.decoded) : null,
          a.error?.code ?? null,
          a.error?.message ?? null,
          a.elapsedMs,
          a.at
        )
      }
      const t = tally(outcome.answers)
      count.run(outcome.error ? 1 : 0, t.positive, t.negative, t.errors, runId)
    }),

    finish(runId: string, state: DiagRunState, message: string | null) {
      db.prepare('UPDATE diag_runs SET state = ?, message = ?, finished_at = ? WHERE id = ?').run(state, message, new Date().toISOString(), runId)
    },

    /** Runs left "running" by a console that stopped: they will not go on. */
    interruptRunning() {
      db.prepare(
        "UPDATE diag_runs SET state = 'interrupted', message = 'The console stopped while this run was going on.', finished_at = COALESCE(finished_at, ?) WHERE state = 'running'"
      ).run(new Date().toISOString())
    },

    run,
    list: (profileId: string, limit: number): DiagRunSummary[] =>
      (db.prepare('SELECT * FROM diag_runs WHERE profile_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(profileId, limit) as RunRow[]).map(summaryOf),

    vehicles: (runId: string): DiagRunVehicle[] =>
      (
        db.prepare('SELECT vin, model, error_code, error, answers, dtcs FROM diag_run_vehicles WHERE run_id = ? ORDER BY error_code IS NULL, vin').all(runId) as {
          vin: string
          model: string | null
          error_code: string | null
          error: string | null
          answers: number
          dtcs: number
        }[]
      ).map((r) => ({ vin: r.vin, model: r.model, error: r.error_code === null ? null : { code: r.error_code, message: r.error ?? '' }, answers: r.answers, dtcs: r.dtcs })),

    answers(runId: string, { vin, offset, limit }: { vin?: string; offset: number; limit: number }) {
      const where = vin === undefined ? 'run_id = ?' : 'run_id = ? AND vin = ?'
      const args = vin === undefined ? [runId] : [runId, vin]
      const total = (db.prepare(`SELECT COUNT(*) AS n FROM diag_run_answers WHERE ${where}`).get(...args) as { n: number }).n
      const rows = db.prepare(`SELECT * FROM diag_run_answers WHERE ${where} ORDER BY id LIMIT ? OFFSET ?`).all(...args, limit, offset) as AnswerRow[]
      return { total, answers: rows.map(answerOf) }
    },

    allAnswers: (runId: string): DiagRunAnswer[] => (db.prepare('SELECT * FROM diag_run_answers WHERE run_id = ? ORDER BY id').all(runId) as AnswerRow[]).map(answerOf),

    delete(profileId: string, runId: string) {
      run(profileId, runId)
      db.prepare('DELETE FROM diag_runs WHERE id = ?').run(runId)
    }
  }
}
