import { AUDIT_EXPORT_MAX_ROWS } from '../../shared/calls/audit'
import { callsOf, type FeatureDeps, type HandlersOf } from '../feature'
import { auditCsv } from './audit-csv'
import { collectAuditEntries } from './audit-export'

/**
 * The backend's audit log: filtered pages for the screen, its action names for the filter, and
 * an export of everything the filters match as CSV, with progress while it pages through.
 */
export function createAuditFeature(deps: FeatureDeps) {
  const { ask } = callsOf(deps)

  const handlers: HandlersOf<'audit'> = {
    'audit.query': (query) => ask((c) => c.audit.query(query)),
    'audit.actions': () => ask((c) => c.audit.actions()),
    'audit.exportCsv': async ({ exportId, ...filters }) => {
      const { entries, capped } = await collectAuditEntries({
        page: (cursor, limit) => ask((c) => c.audit.query({ ...filters, cursor, limit })),
        maxRows: AUDIT_EXPORT_MAX_ROWS,
        onProgress: (rows) => deps.hub.emit('audit.exportProgress', { exportId, rows })
      })
      return { csv: auditCsv(entries), rows: entries.length, capped }
    }
  }
  return { handlers }
}
