import type { AuditEntry } from '../../../../shared/fleet/audit'
import { useFormat, useT } from '../../i18n'

/** The entries, newest first; time in the user's language and time zone, UTC in its tooltip. */
export function AuditTable({ entries, busy }: { entries: AuditEntry[]; busy: boolean }) {
  const t = useT()
  const format = useFormat()
  return (
    <div className="audit-table-wrap">
      <table className={`audit-table${busy ? ' audit-busy' : ''}`} aria-label={t('auditEntries')} aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">{t('auditTime')}</th>
            <th scope="col">{t('auditActor')}</th>
            <th scope="col">{t('auditRole')}</th>
            <th scope="col">{t('auditAction')}</th>
            <th scope="col">{t('auditObject')}</th>
            <th scope="col">{t('auditOutcome')}</th>
            <th scope="col">{t('auditDetail')}</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td className="audit-time">
                <time dateTime={e.at} title={e.at}>
                  {format.dateTime(e.at)}
                </time>
              </td>
              <td>{e.actor}</td>
              <td>{e.role}</td>
              <td>
                <code>{e.action}</code>
              </td>
              <td className="audit-object">{e.object}</td>
              <td>
                <span className={`audit-outcome audit-outcome-${e.outcome}`}>{t(`outcome_${e.outcome}`)}</span>
              </td>
              <td className="audit-detail">{e.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
