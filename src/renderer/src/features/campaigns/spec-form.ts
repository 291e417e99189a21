import { JobSpec, StandingRule, type ActionType, type JobSpec as Spec } from '../../../../shared/fleet/jobs'

/** What the spec editor holds: text as typed, turned into a spec (or errors per field) on demand. */
export interface WaveForm {
  name: string
  kind: 'count' | 'percent'
  value: string
  canary: boolean
}
export interface WindowForm {
  days: number[]
  start: string
  duration: string
}
export interface SpecForm {
  releaseId: string
  models: string
  versionRange: string
  tags: string
  regions: string
  vins: string
  waves: WaveForm[]
  maxInFlight: string
  useRate: boolean
  ratePerMinute: string
  rateFactor: string
  rateEvery: string
  advancePercent: string
  failurePercent: string
  failureMin: string
  failureAction: 'pause' | 'abort'
  timeoutMinutes: string
  healthMinutes: string
  actionType: ActionType
  startAt: string
  endAt: string
  windows: WindowForm[]
}

export const EMPTY_FORM: SpecForm = {
  releaseId: '',
  models: '',
  versionRange: '',
  tags: '',
  regions: '',
  vins: '',
  waves: [
    { name: '', kind: 'count', value: '5', canary: true },
    { name: '', kind: 'percent', value: '100', canary: false }
  ],
  maxInFlight: '100',
  useRate: false,
  ratePerMinute: '10',
  rateFactor: '2',
  rateEvery: '10',
  advancePercent: '90',
  failurePercent: '20',
  failureMin: '10',
  failureAction: 'pause',
  timeoutMinutes: '60',
  healthMinutes: '0',
  actionType: 'forced',
  startAt: '',
  endAt: '',
  windows: []
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
const num = (text: string) => (text.trim() === '' ? Number.NaN : Number(text))
const optionalList = (text: string) => (list(text).length ? list(text) : undefined)
/** datetime-local has no zone; it means the user's own clock. */
const isoFromLocal = (text: string) => (text ? new Date(text).toISOString() : undefined)
const localFromIso = (iso?: string) => {
  if (!iso) return ''
  const d = new Date(iso)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

const SpecInput = JobSpec.omit({ name: true })

export type SpecResult = { ok: true; spec: Omit<Spec, 'name'> } | { ok: false; errors: Record<string, string> }

export function formToSpec(form: SpecForm): SpecResult {
  if (form.startAt && Number.isNaN(Date.parse(form.startAt))) return { ok: false, errors: { 'schedule.startAt': 'not a date and time' } }
  if (form.endAt && Number.isNaN(Date.parse(form.endAt))) return { ok: false, errors: { 'schedule.endAt': 'not a date and time' } }
  const candidate = {
    releaseId: form.releaseId,
    selection: {
      models: optionalList(form.models),
      versionRange: form.versionRange.trim() || undefined,
      tags: optionalList(form.tags),
      regions: optionalList(form.regions),
      vins: optionalList(form.vins.toUpperCase())
    },
    rollout: {
      waves: form.waves.map((w) => ({
        ...(w.name.trim() ? { name: w.name.trim() } : {}),
        size: w.kind === 'count' ? { count: num(w.value) } : { percent: num(w.value) },
        canary: w.canary
      })),
      maxInFlight: num(form.maxInFlight),
      ...(form.useRate ? { rate: { perMinute: num(form.ratePerMinute), factor: num(form.rateFactor), everySuccesses: num(form.rateEvery) } } : {})
    },
    thresholds: {
      advanceAtSuccessPercent: num(form.advancePercent),
      failure: { percent: num(form.failurePercent), minFinished: num(form.failureMin), action: form.failureAction },
      executionTimeoutMinutes: num(form.timeoutMinutes),
      healthWindowMinutes: num(form.healthMinutes)
    },
    actionType: form.actionType,
    schedule: {
      startAt: isoFromLocal(form.startAt),
      endAt: isoFromLocal(form.endAt),
      maintenanceWindows: form.windows.map((w) => ({ days: w.days, start: w.start, durationMinutes: num(w.duration) }))
    }
  }
  const parsed = SpecInput.safeParse(candidate)
  if (parsed.success) {
    const { startAt, endAt } = parsed.data.schedule
    if (startAt && endAt && endAt <= startAt) return { ok: false, errors: { 'schedule.endAt': 'must be after the start' } }
    return { ok: true, spec: parsed.data }
  }
  const errors: Record<string, string> = {}
  for (const issue of parsed.error.issues) {
    const key = issue.path.join('.')
    errors[key] ??= issue.message === 'Invalid input: expected number, received NaN' ? 'a number is required' : issue.message
  }
  return { ok: false, errors }
}

export function specToForm(spec: Omit<Spec, 'name'>): SpecForm {
  const s = spec.selection
  return {
    releaseId: spec.releaseId,
    models: s.models?.join(', ') ?? '',
    versionRange: s.versionRange ?? '',
    tags: s.tags?.join(', ') ?? '',
    regions: s.regions?.join(', ') ?? '',
    vins: s.vins?.join('\n') ?? '',
    waves: spec.rollout.waves.map((w) => ({
      name: w.name ?? '',
      kind: 'count' in w.size ? 'count' : 'percent',
      value: String('count' in w.size ? w.size.count : w.size.percent),
      canary: w.canary
    })),
    maxInFlight: String(spec.rollout.maxInFlight),
    useRate: Boolean(spec.rollout.rate),
    ratePerMinute: String(spec.rollout.rate?.perMinute ?? 10),
    rateFactor: String(spec.rollout.rate?.factor ?? 2),
    rateEvery: String(spec.rollout.rate?.everySuccesses ?? 10),
    advancePercent: String(spec.thresholds.advanceAtSuccessPercent),
    failurePercent: String(spec.thresholds.failure.percent),
    failureMin: String(spec.thresholds.failure.minFinished),
    failureAction: spec.thresholds.failure.action,
    timeoutMinutes: String(spec.thresholds.executionTimeoutMinutes),
    healthMinutes: String(spec.thresholds.healthWindowMinutes),
    actionType: spec.actionType,
    startAt: localFromIso(spec.schedule.startAt),
    endAt: localFromIso(spec.schedule.endAt),
    windows: spec.schedule.maintenanceWindows.map((w) => ({ days: w.days, start: w.start, duration: String(w.durationMinutes) }))
  }
}

export type StandingResult = { ok: true; rule: StandingRule } | { ok: false; errors: Record<string, string> }

/** A standing rule from the editor's target, windows and dates (the rollout fields do not apply). */
export function formToStanding(form: SpecForm): StandingResult {
  const spec = formToSpec(form)
  if (!spec.ok) return spec
  const { releaseId, selection, schedule } = spec.spec
  return { ok: true, rule: StandingRule.parse({ releaseId, selection, maintenanceWindows: schedule.maintenanceWindows, startAt: schedule.startAt, endAt: schedule.endAt }) }
}

export const standingToForm = (rule: StandingRule): SpecForm =>
  specToForm(
    JobSpec.omit({ name: true }).parse({
      releaseId: rule.releaseId,
      selection: rule.selection,
      rollout: { waves: [{ size: { percent: 100 } }] },
      schedule: { maintenanceWindows: rule.maintenanceWindows, startAt: rule.startAt, endAt: rule.endAt }
    })
  )
