import { CertificateState, type CertificatePage, type CertificateQuery, type CertificateSummary } from '../../shared/fleet/certificates'
import type { Db } from '../db/db'
import { decodeCursor, encodeCursor } from '../db/keyset'
import { view, type CertificateRow } from './certificate-row'

const DAY_MS = 86_400_000
const SORT_COLUMN = { notAfter: 'not_after', issuedAt: 'issued_at', holder: 'holder' } as const

/** The SQL of each state, mirroring certificateState() in src/shared. */
const stateClause = (state: CertificateState | undefined, now: string, soon: string): [string, unknown[]] => {
  switch (state) {
    case 'superseded':
      return ["revoked_at IS NOT NULL AND revocation_reason = 'superseded'", []]
    case 'revoked':
      return ["revoked_at IS NOT NULL AND revocation_reason <> 'superseded'", []]
    case 'expired':
      return ['revoked_at IS NULL AND not_after <= ?', [now]]
    case 'expiring':
      return ['revoked_at IS NULL AND not_after > ? AND not_after <= ?', [now, soon]]
    case 'valid':
      return ['revoked_at IS NULL AND not_after > ?', [soon]]
    default:
      return ["(revoked_at IS NULL OR revocation_reason <> 'superseded')", []]
  }
}

/** Device certificates filtered by holder, state, algorithm and prefix; sorted and cursor-paged. */
export async function listCertificates(db: Db, q: CertificateQuery): Promise<CertificatePage> {
  const now = Date.now()
  const where: string[] = []
  const params: unknown[] = []
  const add = (clause: string, ...values: unknown[]) => (where.push(clause), params.push(...values))
  const [state, stateParams] = stateClause(q.state, new Date(now).toISOString(), new Date(now + q.expiringDays * DAY_MS).toISOString())
  add(state, ...stateParams)
  if (q.holderKind) add('holder_kind = ?', q.holderKind)
  if (q.algorithm) add('algorithm = ?', q.algorithm)
  if (q.q) {
    // A VIN is upper case, a workshop id and a serial lower case: the prefix matches each as it is written.
    const prefixes = [...new Set([q.q, q.q.toUpperCase(), q.q.toLowerCase()])]
    const clauses = prefixes.flatMap((p) => [
      ['holder', p],
      ['serial', p]
    ])
    add(`(${clauses.map(([column]) => `(${column} >= ? AND ${column} < ?)`).join(' OR ')})`, ...clauses.flatMap(([, p]) => [p, `${p}\uffff`]))
  }
  const col = SORT_COLUMN[q.sort]
  const cmp = q.order === 'asc' ? '>' : '<'
  if (q.cursor) {
    const [value, serial] = decodeCursor(q.cursor)
    add(`(${col} ${cmp} ? OR (${col} = ? AND serial ${cmp} ?))`, value, value, serial)
  }
  const rows = await db.all<CertificateRow>(`SELECT * FROM device_certificates WHERE ${where.join(' AND ')} ORDER BY ${col} ${q.order}, serial ${q.order} LIMIT ?`, [
    ...params,
    q.limit + 1
  ])
  const page = rows.slice(0, q.limit)
  const last = page.at(-1)
  return { certificates: page.map(view), nextCursor: rows.length > q.limit && last ? encodeCursor(last[col], last.serial) : null }
}

/** Monday 00:00 UTC of the week a time falls in. */
const weekStart = (t: number) => {
  const d = new Date(t)
  const day = (d.getUTCDay() + 6) % 7
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day)
}

/** Counts by state, and how many certificates still in use end in each of the coming weeks. */
export async function summarize(db: Db, q: { expiringDays: number; weeks: number }): Promise<CertificateSummary> {
  const now = Date.now()
  const counts = Object.fromEntries(CertificateState.options.map((s) => [s, 0])) as CertificateSummary['counts']
  for (const state of CertificateState.options) {
    const [clause, params] = stateClause(state, new Date(now).toISOString(), new Date(now + q.expiringDays * DAY_MS).toISOString())
    counts[state] = Number((await db.get<{ n: number }>(`SELECT COUNT(*) AS n FROM device_certificates WHERE ${clause}`, params))?.n ?? 0)
  }
  const first = weekStart(now)
  const end = first + q.weeks * 7 * DAY_MS
  const rows = await db.all<{ not_after: string }>('SELECT not_after FROM device_certificates WHERE revoked_at IS NULL AND not_after > ? AND not_after < ?', [
    new Date(now).toISOString(),
    new Date(end).toISOString()
  ])
  const byWeek = new Array<number>(q.weeks).fill(0)
  for (const r of rows) byWeek[Math.floor((Date.parse(r.not_after) - first) / (7 * DAY_MS))]! += 1
  return { counts, expiriesByWeek: byWeek.map((count, i) => ({ weekStart: new Date(first + i * 7 * DAY_MS).toISOString().slice(0, 10), count })) }
}
