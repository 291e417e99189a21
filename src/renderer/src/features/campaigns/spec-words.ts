import type { JobSpec, MaintenanceWindow, StandingRule, Wave } from '../../../../shared/fleet/jobs'
import type { MessageKey, MessageVars } from '../../i18n'

type T = (key: MessageKey, vars?: MessageVars) => string
export type SpecInput = Omit<JobSpec, 'name'>

const DAY_KEYS = ['daySun', 'dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat'] as const satisfies readonly MessageKey[]

const waveSize = (t: T, wave: Wave, last: boolean) =>
  last ? t('sizeRest') : 'count' in wave.size ? t('sizeCount', { count: wave.size.count }) : t('sizePercent', { percent: wave.size.percent })

export const windowWords = (t: T, w: MaintenanceWindow) => t('windowWords', { days: w.days.map((d) => t(DAY_KEYS[d]!)).join(', '), start: w.start, minutes: w.durationMinutes })

function selectionWords(t: T, s: JobSpec['selection']) {
  const parts = [
    s.models?.length ? t('selModels', { models: s.models.join(', ') }) : '',
    s.versionRange ? t('selVersion', { range: s.versionRange }) : '',
    s.tags?.length ? t('selTags', { tags: s.tags.join(', ') }) : '',
    s.regions?.length ? t('selRegions', { regions: s.regions.join(', ') }) : '',
    s.vins?.length ? t('selVins', { n: s.vins.length }) : ''
  ].filter(Boolean)
  return parts.length ? t('selectionSome', { parts: parts.join('; ') }) : t('selectionAll')
}

/** A standing rule in sentences: who is offered what, and when. */
export function standingInWords(t: T, rule: StandingRule, formatDate: (iso: string) => string): string[] {
  const lines = [t('standingLine'), selectionWords(t, rule.selection)]
  if (rule.startAt) lines.push(t('standingFrom', { at: formatDate(rule.startAt) }))
  if (rule.endAt) lines.push(t('standingUntil', { at: formatDate(rule.endAt) }))
  if (rule.maintenanceWindows.length) lines.push(t('windowsLine', { windows: rule.maintenanceWindows.map((w) => windowWords(t, w)).join('; ') }))
  return lines
}

/**
 * A job's plan in sentences, for the review step and the dashboard: what a careful operator
 * reads before pressing Create, with the wave sizes of a dry run when there is one.
 */
export function specInWords(t: T, spec: SpecInput, formatDate: (iso: string) => string, planned?: readonly number[]): string[] {
  const lines: string[] = [selectionWords(t, spec.selection)]
  spec.rollout.waves.forEach((wave, i) => {
    const last = i === spec.rollout.waves.length - 1
    const now = planned?.[i] !== undefined ? t('waveNow', { n: planned[i] }) : ''
    const name = wave.name ? ` “${wave.name}”` : ''
    lines.push(t(wave.canary ? 'waveCanaryLine' : 'waveLine', { n: i + 1, name, size: waveSize(t, wave, last), now }))
  })
  lines.push(t('inFlightLine', { n: spec.rollout.maxInFlight ?? 100 }))
  const rate = spec.rollout.rate
  if (rate) lines.push(t('rateLine', { perMinute: rate.perMinute, factor: rate.factor, every: rate.everySuccesses }))
  const th = spec.thresholds
  lines.push(t('advanceLine', { percent: th.advanceAtSuccessPercent }))
  lines.push(t(th.failure.action === 'abort' ? 'failureAbortLine' : 'failurePauseLine', { percent: th.failure.percent, min: th.failure.minFinished }))
  lines.push(t('timeoutLine', { minutes: th.executionTimeoutMinutes }))
  if (th.healthWindowMinutes > 0) lines.push(t('healthLine', { minutes: th.healthWindowMinutes }))
  lines.push(t(`action_${spec.actionType}`))
  const sch = spec.schedule
  lines.push(sch.startAt ? t('startsAt', { at: formatDate(sch.startAt) }) : t('startsNow'))
  if (sch.endAt) lines.push(t('endsAt', { at: formatDate(sch.endAt) }))
  if (sch.maintenanceWindows.length) lines.push(t('windowsLine', { windows: sch.maintenanceWindows.map((w) => windowWords(t, w)).join('; ') }))
  return lines
}
