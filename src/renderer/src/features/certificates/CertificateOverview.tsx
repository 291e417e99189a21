import { CertificateState, type CertificateSummary } from '../../../../shared/fleet/certificates'
import { useFormat, useT } from '../../i18n'
import { stateKey } from './certificate-labels'

/** Counts by state, each a button that filters the table to it; the one filtered on is pressed. */
export function CertificateCounts({ summary, current, onPick }: { summary: CertificateSummary; current?: CertificateState; onPick(state?: CertificateState): void }) {
  const t = useT()
  return (
    <ul className="cert-counts" aria-label={t('certCounts')}>
      {CertificateState.options.map((s) => (
        <li key={s}>
          <button
            type="button"
            className={`cert-count state-${s}`}
            aria-label={`${t(stateKey(s))}: ${summary.counts[s]}`}
            aria-pressed={current === s}
            onClick={() => onPick(current === s ? undefined : s)}
          >
            <span className="cert-count-value">{summary.counts[s]}</span>
            <span className="cert-count-label">{t(stateKey(s))}</span>
          </button>
        </li>
      ))}
    </ul>
  )
}

/**
 * The certificates in use that expire in each coming week, as columns: where renewals will bunch,
 * or where vehicles that stopped renewing will drop out. Each column's number is its text.
 */
export function ExpiryChart({ summary }: { summary: CertificateSummary }) {
  const t = useT()
  const format = useFormat()
  const weeks = summary.expiriesByWeek
  const max = Math.max(1, ...weeks.map((w) => w.count))
  const total = weeks.reduce((n, w) => n + w.count, 0)
  const label = t('certChart', { weeks: weeks.length })
  if (total === 0) return <p className="empty">{t('certChartEmpty', { weeks: weeks.length })}</p>
  const W = 36
  const H = 120
  return (
    <figure className="cert-chart">
      <figcaption>{label}</figcaption>
      <svg
        viewBox={`0 0 ${weeks.length * W} ${H + 34}`}
        role="img"
        aria-label={`${label}: ${weeks.map((w) => `${t('certChartWeek', { date: format.date(`${w.weekStart}T12:00:00Z`) })} ${w.count}`).join(', ')}`}
      >
        {weeks.map((w, i) => {
          const h = (w.count / max) * H
          return (
            <g key={w.weekStart}>
              <title>{`${t('certChartWeek', { date: format.date(`${w.weekStart}T12:00:00Z`) })}: ${w.count}`}</title>
              <rect x={i * W + 6} y={H - h + 14} width={W - 12} height={h} rx="3" className="cert-bar" />
              <text x={i * W + W / 2} y={H - h + 10} textAnchor="middle" className="cert-bar-value">
                {w.count || ''}
              </text>
              <text x={i * W + W / 2} y={H + 30} textAnchor="middle" className="cert-bar-label">
                {w.weekStart.slice(5)}
              </text>
            </g>
          )
        })}
      </svg>
    </figure>
  )
}
