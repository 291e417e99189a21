import type { AuditFilters, AuditOutcome } from '../../../../shared/fleet/audit'

/** The filter bar as the user fills it in; days are `YYYY-MM-DD` from date inputs, in local time. */
export interface FilterForm {
  q: string
  actor: string
  action: string
  outcome: '' | AuditOutcome
  since: string
  until: string
}

export const EMPTY_FORM: FilterForm = { q: '', actor: '', action: '', outcome: '', since: '', until: '' }

/** The instant a local day starts, `plusDays` after the given one. */
function localDayStart(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d + plusDays).toISOString()
}

/** What the backend is asked: blank fields left out, and the "to" day included whole. */
export function toFilters(form: FilterForm): AuditFilters {
  const filters: AuditFilters = {}
  const q = form.q.trim()
  const actor = form.actor.trim()
  if (q) filters.q = q
  if (actor) filters.actor = actor
  if (form.action) filters.action = form.action
  if (form.outcome) filters.outcome = form.outcome
  if (form.since) filters.since = localDayStart(form.since)
  if (form.until) filters.until = localDayStart(form.until, 1)
  return filters
}

export const hasFilters = (form: FilterForm) => Object.keys(toFilters(form)).length > 0

/** A "from" day after the "to" day matches nothing; the screen says so instead of asking. */
export const rangeInverted = (form: FilterForm) => form.since !== '' && form.until !== '' && form.since > form.until

/** A file name that sorts by when it was taken, in local time: audit-log-2025-03-01-0930.csv. */
export function exportFileName(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0')
  return `audit-log-${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}-${two(now.getHours())}${two(now.getMinutes())}.csv`
}
