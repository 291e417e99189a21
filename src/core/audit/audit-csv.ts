import type { AuditEntry } from '../../shared/fleet/audit'

/** Spreadsheets read a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/

/** Makes Excel read the file as UTF-8, so Japanese text opens as written. */
export const UTF8_BOM = '\uFEFF'

/**
 * One CSV field as RFC 4180 wants it, quoted when it holds a comma, quote or line break; a
 * value a spreadsheet would run as a formula gets a leading apostrophe and stays text.
 */
export function csvField(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** A whole CSV document: BOM, header, rows, each line ended by CRLF. */
export const toCsv = (header: readonly string[], rows: readonly (readonly string[])[]) =>
  UTF8_BOM + [header, ...rows].map((fields) => `${fields.map(csvField).join(',')}\r\n`).join('')

export const AUDIT_CSV_HEADER = ['id', 'time_utc', 'actor', 'role', 'action', 'object', 'outcome', 'detail'] as const

/** The audit log as CSV; times stay in UTC ISO 8601 as the backend wrote them, for any tool to sort. */
export const auditCsv = (entries: readonly AuditEntry[]) =>
  toCsv(
    AUDIT_CSV_HEADER,
    entries.map((e) => [String(e.id), e.at, e.actor, e.role, e.action, e.object, e.outcome, e.detail])
  )
