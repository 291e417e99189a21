import type { AuditEntry } from '../../shared/fleet/audit'
import { toCsv } from '../csv'

export const AUDIT_CSV_HEADER = ['id', 'time_utc', 'actor', 'role', 'action', 'object', 'outcome', 'detail'] as const

/** The audit log as CSV; times stay in UTC ISO 8601 as the backend wrote them, for any tool to sort. */
export const auditCsv = (entries: readonly AuditEntry[]) =>
  toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => [String(e.id), e.at, e.actor, e.role, e.action, e.object, e.outcome, e.detail])
  )
