import { z } from 'zod'
import { ModelName, ReleaseId } from './catalog'
import { Vin } from './device'

/** forced: install now; soft: the vehicle asks for consent and may defer; download-only: install later, on command. */
export const ActionType = z.enum(['forced', 'soft', 'download-only'])
export type ActionType = z.infer<typeof ActionType>

/** waiting_approval: its policy or model needs a second person's approval before it may start; rejected: that person said no. */
export const JobState = z.enum(['waiting_approval', 'scheduled', 'running', 'paused', 'completed', 'canceled', 'aborted', 'rejected'])
export type JobState = z.infer<typeof JobState>
/** States a job never leaves. */
export const ENDED_JOB_STATES: readonly JobState[] = ['completed', 'canceled', 'aborted', 'rejected']

export const ExecutionState = z.enum([
  'queued',
  'notified',
  'accepted',
  'rejected',
  'downloading',
  'verifying',
  'installing',
  'rebooting',
  /** Installed, in its job's health window: it succeeds once the window passes without a health failure. */
  'monitoring',
  'succeeded',
  'failed',
  'timed_out',
  'canceled'
])
export type ExecutionState = z.infer<typeof ExecutionState>
export const TERMINAL_STATES: readonly ExecutionState[] = ['rejected', 'succeeded', 'failed', 'timed_out', 'canceled']

/** Which vehicles a job reaches: everything given must match. */
export const Selection = z
  .object({
    models: z.array(ModelName).max(50).optional(),
    versionRange: z.string().max(100).optional().describe("semver range of the target ECU's current version, e.g. <2.0.0"),
    tags: z.array(z.string().max(32)).max(20).optional(),
    regions: z.array(z.string().max(32)).max(20).optional(),
    vins: z.array(Vin).max(100_000).optional()
  })
  .strict()
export type Selection = z.infer<typeof Selection>

export const Wave = z
  .object({
    name: z.string().max(60).optional(),
    size: z.union([z.object({ count: z.number().int().min(1) }).strict(), z.object({ percent: z.number().gt(0).max(100) }).strict()]),
    canary: z.boolean().default(false)
  })
  .strict()
export type Wave = z.infer<typeof Wave>

export const Rollout = z
  .object({
    waves: z.array(Wave).min(1).max(20),
    maxInFlight: z.number().int().min(1).max(100_000).default(100),
    /** Start at perMinute notifications a minute; multiply by factor after each everySuccesses successes. */
    rate: z
      .object({ perMinute: z.number().int().min(1).max(100_000), factor: z.number().min(1.1).max(5), everySuccesses: z.number().int().min(1) })
      .strict()
      .optional()
  })
  .strict()
export type Rollout = z.infer<typeof Rollout>

export const Thresholds = z
  .object({
    /** Start the next wave when this share of the current wave has succeeded. */
    advanceAtSuccessPercent: z.number().min(0).max(100).default(90),
    failure: z
      .object({ percent: z.number().gt(0).max(100), minFinished: z.number().int().min(1), action: z.enum(['pause', 'abort']) })
      .strict()
      .default({ percent: 20, minFinished: 10, action: 'pause' }),
    executionTimeoutMinutes: z.number().int().min(1).max(10_080).default(60),
    /**
     * After a vehicle reports the install done, how long it must stay healthy before the
     * execution succeeds: staying offline, a rollback, a failed self-test or a new confirmed DTC
     * on the updated ECU in this window fails it, and the failure thresholds count it. 0: none.
     */
    healthWindowMinutes: z.number().min(0).max(1440).default(0)
  })
  .strict()
export type Thresholds = z.infer<typeof Thresholds>

export const MaintenanceWindow = z
  .object({
    /** Days of the week, 0 = Sunday, in the vehicle's local time. */
    days: z.array(z.number().int().min(0).max(6)).min(1).max(7),
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
    durationMinutes: z.number().int().min(1).max(1440)
  })
  .strict()
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>

export const Schedule = z
  .object({ startAt: z.iso.datetime().optional(), endAt: z.iso.datetime().optional(), maintenanceWindows: z.array(MaintenanceWindow).max(14).default([]) })
  .strict()

export const JobSpec = z
  .object({
    name: z.string().trim().min(1).max(120),
    releaseId: ReleaseId,
    selection: Selection,
    rollout: Rollout,
    thresholds: Thresholds.default({
      advanceAtSuccessPercent: 90,
      failure: { percent: 20, minFinished: 10, action: 'pause' },
      executionTimeoutMinutes: 60,
      healthWindowMinutes: 0
    }),
    actionType: ActionType.default('forced'),
    schedule: Schedule.default({ maintenanceWindows: [] })
  })
  .strict()
export type JobSpec = z.infer<typeof JobSpec>

export const StateCounts = z.record(z.string(), z.number().int())

/** An approver's answer to a job that waits for approval; a rejection says why. */
export const ApprovalDecision = z.object({ comment: z.string().trim().max(1000).default('') }).strict()
export const Rejection = z.object({ comment: z.string().trim().min(1, 'say why the job is rejected').max(1000) }).strict()

/** Four-eyes approval of a job: why it needs one, and the decision once made. */
export const JobApproval = z.object({
  /** What asks for approval, in words: "policy Nightly canary", "model model_a". */
  requiredBy: z.string(),
  decision: z.enum(['approved', 'rejected']).nullable(),
  by: z.string().nullable(),
  role: z.string().nullable(),
  comment: z.string().nullable(),
  at: z.string().nullable()
})
export type JobApproval = z.infer<typeof JobApproval>

export const JobView = z.object({
  id: z.string(),
  name: z.string(),
  releaseId: ReleaseId,
  state: JobState,
  /** Why a threshold paused or aborted the job, in words. */
  reason: z.string().nullable(),
  currentWave: z.number().int(),
  spec: JobSpec,
  waves: z.array(
    z.object({
      wave: z.number().int(),
      size: z.number().int(),
      startedAt: z.string().nullable(),
      counts: StateCounts,
      /** Failures already accepted by a resume; thresholds judge what came after. */
      accepted: z.object({ failed: z.number().int(), finished: z.number().int() })
    })
  ),
  counts: StateCounts,
  failureCauses: StateCounts,
  createdAt: z.string(),
  createdBy: z.string(),
  /** Null when neither its policy nor its model asks for approval. */
  approval: JobApproval.nullable(),
  /** How installed vehicles got the image: by delta, in full, or in full after a delta failed; and the bytes deltas saved. */
  delivery: z.object({ delta: z.number().int(), full: z.number().int(), fallback: z.number().int(), bytesSaved: z.number() })
})
export type JobView = z.infer<typeof JobView>

/** Whether a device model's jobs need a second person's approval before they start. */
export const ModelApproval = z.object({ model: z.string(), requireApproval: z.boolean(), updatedBy: z.string(), updatedAt: z.string() })
export type ModelApproval = z.infer<typeof ModelApproval>

export const ExecutionQuery = z.object({
  state: ExecutionState.optional(),
  wave: z.coerce.number().int().min(0).optional(),
  /** The last VIN of the previous page. */
  cursor: z.string().max(17).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100)
})
export type ExecutionQuery = z.infer<typeof ExecutionQuery>

export const ExecutionView = z.object({
  vin: Vin,
  wave: z.number().int(),
  state: ExecutionState,
  cause: z.string().nullable(),
  percent: z.number().int(),
  attempts: z.number().int(),
  notifiedAt: z.string().nullable(),
  updatedAt: z.string()
})
export type ExecutionView = z.infer<typeof ExecutionView>

export const ExecutionPage = z.object({ executions: z.array(ExecutionView), nextCursor: z.string().nullable() })
export type ExecutionPage = z.infer<typeof ExecutionPage>

/** What adding vehicles to a running job did: those it took, and why it left the others out. */
export const AddVehiclesResult = z.object({ added: z.array(z.string()), skipped: z.array(z.object({ vin: z.string(), reason: z.string() })), job: JobView })
export type AddVehiclesResult = z.infer<typeof AddVehiclesResult>

export const DryRun = z.object({ selected: z.number().int(), waves: z.array(z.number().int()) })
export type DryRun = z.infer<typeof DryRun>

/**
 * A standing, device-initiated rule (seed 002's "upon device request"): when a vehicle it
 * selects checks for updates, inside the windows and dates, it is offered this release. Once a
 * model's ECU has a standing policy, only such rules decide what its vehicles are offered.
 */
export const StandingRule = z
  .object({
    releaseId: ReleaseId,
    selection: Selection,
    maintenanceWindows: z.array(MaintenanceWindow).max(14).default([]),
    startAt: z.iso.datetime().optional(),
    endAt: z.iso.datetime().optional()
  })
  .strict()
export type StandingRule = z.infer<typeof StandingRule>

const PolicyName = z.string().trim().min(1).max(120)
const TemplateInput = z
  .object({
    name: PolicyName,
    kind: z.literal('template').default('template'),
    spec: JobSpec.omit({ name: true }),
    /** Jobs made from this template wait for a second person's approval. */
    requireApproval: z.boolean().default(false)
  })
  .strict()
const StandingInput = z.object({ name: PolicyName, kind: z.literal('standing'), rule: StandingRule }).strict()

/** A template policy (a saved target, rollout, thresholds, schedule and action type, reused for many jobs), or a standing rule. */
export const PolicyInput = z.union([TemplateInput, StandingInput])
export type PolicyInput = z.input<typeof PolicyInput>

const PolicyMeta = { id: z.string(), name: z.string(), createdAt: z.string(), createdBy: z.string(), updatedAt: z.string() }
export const PolicyView = z.discriminatedUnion('kind', [
  z.object({ ...PolicyMeta, kind: z.literal('template'), spec: JobSpec.omit({ name: true }), requireApproval: z.boolean() }),
  z.object({ ...PolicyMeta, kind: z.literal('standing'), rule: StandingRule })
])
export type PolicyView = z.infer<typeof PolicyView>
