import { randomBytes } from 'node:crypto'
import type { DiagRunProgress, DiagRunSummary, DiagRunView } from '../../shared/calls/diagnostic-runs'
import { operationRequest } from '../../shared/calls/uds-operation'
import { OtaError } from '../../shared/errors'
import { describeAnswer } from '../uds-session/answer'
import { loadConsoleDidCatalog } from '../uds-session/did-catalog-file'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { createLatestBatcher } from '../live/batcher'
import { aggregateByEcu, topDtcs } from './aggregate'
import { runBatch } from './batch-runner'
import { openRemoteVehicle } from './remote-vehicle'
import { runCsv, runJson } from './run-export'
import { createRunStore, tally } from './run-store'

/** How often, at most, the renderer hears about a run: ten times a second. */
export const PROGRESS_INTERVAL_MS = 100

interface Running {
  controller: AbortController
  done: Promise<void>
}

/**
 * Diagnostic runs over the fleet through the backend's relay: started in the background with
 * bounded concurrency, reported on diagnostics.progress, each vehicle's answers written to the
 * profile's history as they come, aggregated and exported from there.
 */
export function createDiagnosticRunsFeature(deps: FeatureDeps & { profileId(): string | null }) {
  const store = createRunStore(deps.db)
  store.interruptRunning()
  const catalog = loadConsoleDidCatalog(deps.dataDir, deps.log)
  const running = new Map<string, Running>()
  let closing = false
  const batcher = createLatestBatcher<DiagRunProgress>({
    intervalMs: PROGRESS_INTERVAL_MS,
    key: (p) => p.runId,
    flush: (items) => items.forEach((p) => deps.hub.emit('diagnostics.progress', p))
  })

  const profile = () => {
    const id = deps.profileId()
    if (!id) throw new OtaError('NO_CONNECTION', 'No connection profile is active: choose one to diagnose its vehicles.')
    return id
  }

  function start(profileId: string, summary: DiagRunSummary, vins: readonly string[]) {
    const controller = new AbortController()
    const began = Date.now()
    const progress: DiagRunProgress = { runId: summary.id, state: 'running', vehicles: vins.length, vehiclesDone: 0, vehiclesFailed: 0, answers: 0, elapsedMs: 0, etaSeconds: null }
    const report = (patch: Partial<DiagRunProgress>) => {
      Object.assign(progress, patch, { elapsedMs: Date.now() - began })
      const left = progress.vehicles - progress.vehiclesDone
      progress.etaSeconds = progress.state !== 'running' ? 0 : progress.vehiclesDone === 0 ? null : Math.round((progress.elapsedMs / progress.vehiclesDone) * left) / 1000
      batcher.push({ ...progress })
    }
    const finish = (state: DiagRunSummary['state'], message: string | null) => {
      store.finish(summary.id, state, message)
      report({ state })
    }
    const done = runBatch({
      vins,
      ecus: summary.ecus,
      request: operationRequest(summary.operation),
      open: (vin, signal) => {
        // The backend session follows the active profile: another profile's backend is not this run's.
        if (deps.profileId() !== profileId) throw new OtaError('NO_CONNECTION', 'The active connection changed during the run; the vehicles not asked yet were left out.')
        return openRemoteVehicle(deps.backend, vin, signal)
      },
      decode: (response) => describeAnswer(response, catalog),
      signal: controller.signal,
      onVehicle: (outcome) => {
        if (closing) return
        store.addVehicle(summary.id, outcome)
        report({ vehiclesDone: progress.vehiclesDone + 1, vehiclesFailed: progress.vehiclesFailed + (outcome.error ? 1 : 0), answers: progress.answers + outcome.answers.length })
      }
    })
      .then(
        () => (closing ? finish('interrupted', 'The console stopped while this run was going on.') : finish(controller.signal.aborted ? 'canceled' : 'completed', null)),
        (err: Error) => {
          deps.observed(err)
          finish('failed', err.message)
        }
      )
      .catch((err: Error) => deps.log(`diagnostics: run ${summary.id}: ${err.message}`))
      .finally(() => running.delete(summary.id))
    running.set(summary.id, { controller, done })
  }

  const view = (profileId: string, runId: string): DiagRunView => {
    const summary = store.run(profileId, runId)
    const answers = store.allAnswers(runId)
    return { summary, vehicles: store.vehicles(runId), byEcu: aggregateByEcu(answers), topDtcs: topDtcs(answers) }
  }

  const handlers: HandlersOf<'diagnostics'> = {
    'diagnostics.start': async ({ vins, ecus, operation }) => {
      const profileId = profile()
      // Before anything is recorded: no backend to ask is the caller's error, not a failed run.
      await callsOf(deps).observe(() => deps.backend.client())
      const summary: DiagRunSummary = {
        id: `drn_${randomBytes(8).toString('hex')}`,
        operation,
        ecus,
        vehicles: vins.length,
        state: 'running',
        message: null,
        startedAt: new Date().toISOString(),
        finishedAt: null,
        vehiclesDone: 0,
        vehiclesFailed: 0,
        ...tally([])
      }
      store.create(profileId, summary)
      start(profileId, summary, vins)
      return summary
    },
    'diagnostics.cancel': ({ runId }) => {
      store.run(profile(), runId)
      const run = running.get(runId)
      if (!run) throw new OtaError('CONFLICT', `Diagnostic run ${runId} is not running any more.`)
      run.controller.abort()
    },
    'diagnostics.runs': ({ limit }) => ({ runs: store.list(profile(), limit ?? 50) }),
    'diagnostics.run': ({ runId }) => view(profile(), runId),
    'diagnostics.answers': ({ runId, vin, offset, limit }) => {
      store.run(profile(), runId)
      return store.answers(runId, { vin, offset, limit })
    },
    'diagnostics.export': ({ runId, format }) => {
      const v = view(profile(), runId)
      const answers = store.allAnswers(runId)
      return format === 'csv'
        ? { name: `diagnostics-${runId}.csv`, mime: 'text/csv;charset=utf-8', content: runCsv(v, answers) }
        : { name: `diagnostics-${runId}.json`, mime: 'application/json', content: runJson(v, answers) }
    },
    'diagnostics.delete': ({ runId }) => {
      if (running.has(runId)) throw new OtaError('CONFLICT', `Diagnostic run ${runId} is still running: cancel it first.`)
      store.delete(profile(), runId)
    }
  }

  return {
    handlers,
    async close() {
      closing = true
      for (const run of running.values()) run.controller.abort()
      await Promise.all([...running.values()].map((r) => r.done))
      batcher.close()
    }
  }
}
