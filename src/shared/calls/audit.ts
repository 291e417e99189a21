import { z } from 'zod'
import { AuditActions, AuditFilters, AuditPage, AuditQuery } from '../fleet/audit'
import { call } from './call'

/** An export stops at this many entries, newest first; the answer says when it stopped early. */
export const AUDIT_EXPORT_MAX_ROWS = 100_000

/** Names one export, so its progress events reach the window that asked for it. */
const ExportId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an export id')

export const AuditExport = z.object({
  /** RFC 4180 CSV, UTF-8 with a byte-order mark, CRLF line ends, a header row first. */
  csv: z.string(),
  rows: z.number().int(),
  /** More entries matched than AUDIT_EXPORT_MAX_ROWS; the oldest were left out. */
  capped: z.boolean()
})
export type AuditExport = z.infer<typeof AuditExport>

export const auditCalls = {
  'audit.query': call(AuditQuery.strict(), AuditPage),
  'audit.actions': call(z.void(), AuditActions),
  'audit.exportCsv': call(AuditFilters.extend({ exportId: ExportId }).strict(), AuditExport)
}

export const auditEvents = {
  /** How many entries an export has collected so far; one event per page from the backend. */
  'audit.exportProgress': z.object({ exportId: z.string(), rows: z.number().int() })
}
