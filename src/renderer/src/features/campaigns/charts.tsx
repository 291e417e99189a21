import { useFormat } from '../../i18n'

/** Small hand-drawn SVG charts: the dashboard needs three shapes, not a charting library. */

export interface Bar {
  label: string
  value: number
  tone?: 'ok' | 'bad' | 'busy' | 'idle'
}

/** Horizontal bars with their numbers, largest first; the list itself is the accessible text. */
export function BarList({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  return (
    <ul className="bar-list" aria-label={label}>
      {bars.map((b) => (
        <li key={b.label}>
          <span className="bar-label">{b.label}</span>
          <span className="bar-track" aria-hidden="true">
            <span className={`bar-fill tone-${b.tone ?? 'bad'}`} style={{ width: `${(b.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">{b.value}</span>
        </li>
      ))}
    </ul>
  )
}

export interface Segment {
  key: string
  label: string
  value: number
  tone: 'ok' | 'bad' | 'busy' | 'idle' | 'muted'
}

/** One wave as a stacked bar: done, failed, in flight and waiting, in proportion to its size. */
export function StackedBar({ segments, total, label }: { segments: Segment[]; total: number; label: string }) {
  const whole = Math.max(1, total)
  return (
    <div className="stacked" role="img" aria-label={label}>
      {segments
        .filter((s) => s.value > 0)
        .map((s) => (
          <span key={s.key} className={`seg tone-${s.tone}`} style={{ width: `${(s.value / whole) * 100}%` }} title={`${s.label}: ${s.value}`} />
        ))}
    </div>
  )
}

export interface Series {
  label: string
  tone: 'ok' | 'busy'
  points: { t: number; v: number }[]
  /** The series' own scale: throughput in executions a minute, success in percent. */
  max: number
  unit: string
}

/** Two lines over time, each on its own scale (left and right axis). */
export function TimelineChart({ series, label, emptyText }: { series: Series[]; label: string; emptyText: string }) {
  const format = useFormat()
  const W = 560
  const H = 160
  const P = 28
  const all = series.flatMap((s) => s.points)
  if (all.length < 2) return <p className="empty">{emptyText}</p>
  const t0 = Math.min(...all.map((p) => p.t))
  const t1 = Math.max(...all.map((p) => p.t))
  const x = (t: number) => P + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * P)
  const y = (v: number, max: number) => H - P - (v / Math.max(1e-9, max)) * (H - 2 * P)
  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label}>
        <line x1={P} y1={H - P} x2={W - P} y2={H - P} className="axis" />
        {series.map((s, i) => (
          <g key={s.label}>
            <polyline className={`line tone-${s.tone}`} fill="none" points={s.points.map((p) => `${x(p.t).toFixed(1)},${y(p.v, s.max).toFixed(1)}`).join(' ')} />
            <text x={i === 0 ? 2 : W - 2} y={12} textAnchor={i === 0 ? 'start' : 'end'} className={`axis-label tone-${s.tone}`}>
              {s.label} (max {Math.round(s.max)}
              {s.unit})
            </text>
          </g>
        ))}
        <text x={P} y={H - 6} className="axis-label">
          {format.time(t0)}
        </text>
        <text x={W - P} y={H - 6} textAnchor="end" className="axis-label">
          {format.time(t1)}
        </text>
      </svg>
    </figure>
  )
}
