import { z } from 'zod'
import { EcuId } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { DecodedAnswer } from './uds-session'
import { call } from './call'
import { DiagOperation } from './uds-operation'

/**
 * Diagnostic runs over the fleet: one service sent to chosen ECUs of many vehicles through the
 * backend's relay (a single request is a run of one vehicle and one ECU), kept per profile as
 * history, with DTC reads aggregated per zonal gateway and ECU.
 */

export const DiagRunId = z.string().regex(/^drn_[0-9a-f]{16}$/, 'not a diagnostic run id')

/** Vehicles in one run; a bigger fleet is several runs. */
export const MAX_RUN_VEHICLES = 1000

/** Every ECU the registry lists for a vehicle (its gateway included), or these by id. */
export const EcuSelection = z.union([z.literal('all'), z.array(EcuId).min(1).max(64)])
export type EcuSelection = z.infer<typeof EcuSelection>

export const DiagRunInput = z
  .object({
    vins: z
      .array(Vin)
      .min(1, 'choose at least one vehicle')
      .max(MAX_RUN_VEHICLES, `at most ${MAX_RUN_VEHICLES} vehicles in one run`)
      .refine((vins) => new Set(vins).size === vins.length, 'a VIN is listed twice'),
    ecus: EcuSelection,
    operation: DiagOperation
  })
  .strict()

export const DiagRunState = z.enum(['running', 'completed', 'canceled', 'failed', 'interrupted'])
export type DiagRunState = z.infer<typeof DiagRunState>

const Failure = z.object({ code: z.string(), message: z.string() })

export const DiagRunSummary = z.object({
  id: DiagRunId,
  operation: DiagOperation,
  ecus: EcuSelection,
  vehicles: z.number().int(),
  state: DiagRunState,
  /** Why the whole run failed (e.g. a role that may not diagnose), or was interrupted. */
  message: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  vehiclesDone: z.number().int(),
  /** Vehicles that could not be asked at all (offline, unknown, unreachable). */
  vehiclesFailed: z.number().int(),
  /** ECU answers: positive ones, negative responses (NRCs), and requests that got no answer. */
  positive: z.number().int(),
  negative: z.number().int(),
  errors: z.number().int()
})
export type DiagRunSummary = z.infer<typeof DiagRunSummary>

export const DiagRunVehicle = z.object({ vin: z.string(), model: z.string().nullable(), error: Failure.nullable(), answers: z.number().int(), dtcs: z.number().int() })
export type DiagRunVehicle = z.infer<typeof DiagRunVehicle>

/** One zonal gateway's ECU across the run's vehicles. `zonalGateway` is '' for the central gateway. */
export const EcuAggregate = z.object({
  zonalGateway: z.string(),
  ecu: z.string(),
  /** ECUs asked, answered positively, refused (NRC) or not answering. */
  asked: z.number().int(),
  positive: z.number().int(),
  negative: z.number().int(),
  errors: z.number().int(),
  withDtcs: z.number().int(),
  dtcs: z.number().int(),
  confirmed: z.number().int()
})
export type EcuAggregate = z.infer<typeof EcuAggregate>

/** A DTC code and how many ECUs reported it, with which ECU ids. */
export const DtcCount = z.object({ code: z.string(), count: z.number().int(), ecus: z.array(z.string()) })
export type DtcCount = z.infer<typeof DtcCount>

export const DiagRunView = z.object({
  summary: DiagRunSummary,
  vehicles: z.array(DiagRunVehicle),
  byEcu: z.array(EcuAggregate),
  topDtcs: z.array(DtcCount)
})
export type DiagRunView = z.infer<typeof DiagRunView>

export const DiagRunAnswer = z.object({
  vin: z.string(),
  ecu: z.string(),
  zonalGateway: z.string(),
  target: z.number().int().nullable(),
  request: z.string(),
  response: z.string().nullable(),
  /** Null when the request got no answer: `error` says why. */
  decoded: DecodedAnswer.nullable(),
  error: Failure.nullable(),
  elapsedMs: z.number(),
  at: z.string()
})
export type DiagRunAnswer = z.infer<typeof DiagRunAnswer>

export const DiagRunProgress = z.object({
  runId: DiagRunId,
  state: DiagRunState,
  vehicles: z.number().int(),
  vehiclesDone: z.number().int(),
  vehiclesFailed: z.number().int(),
  answers: z.number().int(),
  elapsedMs: z.number(),
  etaSeconds: z.number().nullable()
})
export type DiagRunProgress = z.infer<typeof DiagRunProgress>

const ByRun = z.object({ runId: DiagRunId }).strict()

export const diagnosticsCalls = {
  /** Starts a run; diagnostics.progress reports it (at most ten times a second) until it ends. */
  'diagnostics.start': call(DiagRunInput, DiagRunSummary),
  'diagnostics.cancel': call(ByRun, z.void()),
  /** The active profile's runs, newest first. */
  'diagnostics.runs': call(z.object({ limit: z.number().int().min(1).max(200).optional() }).strict(), z.object({ runs: z.array(DiagRunSummary) })),
  'diagnostics.run': call(ByRun, DiagRunView),
  /** A run's answers in the order they came, of one vehicle or all. */
  'diagnostics.answers': call(
    z.object({ runId: DiagRunId, vin: Vin.optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.object({ total: z.number().int(), answers: z.array(DiagRunAnswer) })
  ),
  /** A run as a file: CSV (one line per answer, spreadsheet-safe) or JSON (everything). */
  'diagnostics.export': call(z.object({ runId: DiagRunId, format: z.enum(['csv', 'json']) }).strict(), z.object({ name: z.string(), mime: z.string(), content: z.string() })),
  'diagnostics.delete': call(ByRun, z.void())
}

export const diagnosticsEvents = {
  'diagnostics.progress': DiagRunProgress
}
