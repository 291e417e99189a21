import type { AuditEntry, AuditPage } from '../../shared/fleet/audit'

/** The backend's largest page. */
const PAGE_LIMIT = 1000

/**
 * Pages through the whole filtered log, newest first, until it ends or maxRows are collected;
 * `capped` says whether entries were left out.
 */
export async function collectAuditEntries(opts: {
  page(cursor: number | undefined, limit: number): Promise<AuditPage>
  maxRows: number
  onProgress(rows: number): void
}): Promise<{ entries: AuditEntry[]; capped: boolean }> {
  const entries: AuditEntry[] = []
  let cursor: number | undefined
  while (entries.length < opts.maxRows) {
    const page = await opts.page(cursor, Math.min(PAGE_LIMIT, opts.maxRows - entries.length))
    entries.push(...page.entries)
    opts.onProgress(entries.length)
    if (page.nextCursor === null) return { entries, capped: false }
    cursor = page.nextCursor
  }
  return { entries, capped: true }
}
