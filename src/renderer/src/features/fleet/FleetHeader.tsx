import { useShallow } from 'zustand/react/shallow'
import type { FleetRollup } from '../../../../shared/protocol/messages'
import { useFormat, useT } from '../../i18n'
import { useFleet } from './fleet-store'

/** Online and offline vehicles of each model, as bars on one scale. */
function OnlineByModel({ summary, label }: { summary: FleetRollup; label: string }) {
  const models = Object.entries(summary.byModel).sort(([a], [b]) => a.localeCompare(b))
  const max = Math.max(1, ...models.map(([, m]) => m.total))
  const W = 260
  const BAR = 14
  const GAP = 6
  const LABEL = 80
  return (
    <svg className="fleet-chart" role="img" aria-label={label} width={W} height={models.length * (BAR + GAP)} viewBox={`0 0 ${W} ${models.length * (BAR + GAP)}`}>
      {models.map(([model, m], i) => {
        const y = i * (BAR + GAP)
        const width = W - LABEL - 50
        return (
          <g key={model}>
            <text x={0} y={y + BAR - 3} className="fleet-chart-label">
              {model}
            </text>
            <rect x={LABEL} y={y} width={(m.total / max) * width} height={BAR} className="fleet-chart-total" />
            <rect x={LABEL} y={y} width={(m.online / max) * width} height={BAR} className="fleet-chart-online" />
            <text x={LABEL + width + 6} y={y + BAR - 3} className="fleet-chart-label">{`${m.online}/${m.total}`}</text>
          </g>
        )
      })}
    </svg>
  )
}

/** Title, the fleet's counts (live when the live link brings them), and where the copy stands. */
export function FleetHeader() {
  const t = useT()
  const format = useFormat()
  const { summary, facets, sync, syncedAt, stale, syncNow } = useFleet(
    useShallow((s) => ({ summary: s.summary, facets: s.facets, sync: s.sync, syncedAt: s.syncedAt, stale: s.stale, syncNow: s.syncNow }))
  )
  const counts = summary ?? facets
  const syncing = sync?.state === 'syncing'
  return (
    <header className="fleet-header">
      <div>
        <h1 id="fleet-heading">{t('navFleet')}</h1>
        {counts && (
          <p className="fleet-counts">
            {t('fleetCounts', { total: counts.total, online: counts.online })}
            {summary && <span className="live live-connected">{t('live_connected')}</span>}
          </p>
        )}
        {summary && Object.keys(summary.byModel).length > 0 && <OnlineByModel summary={summary} label={t('fleetChartLabel')} />}
      </div>
      <div className="fleet-sync" role="status" aria-live="polite">
        {syncing ? (
          <>
            <span>{sync.expected ? t('fleetSyncing', { fetched: sync.fetched, expected: sync.expected }) : t('fleetSyncStarting')}</span>
            <progress max={sync.expected ?? undefined} value={sync.expected ? sync.fetched : undefined} aria-label={t('fleetSyncProgress')} />
          </>
        ) : syncedAt ? (
          <span className={stale ? 'stale' : undefined}>{t(stale ? 'fleetStale' : 'fleetSyncedAt', { at: format.dateTime(syncedAt) })}</span>
        ) : (
          <span>{t('fleetNeverSynced')}</span>
        )}
        <button type="button" onClick={() => void syncNow()} disabled={syncing}>
          {t('fleetSyncNow')}
        </button>
        {sync?.state === 'failed' && sync.message && (
          <p role="alert" className="banner error">
            {t('fleetSyncFailed', { message: sync.message })}
          </p>
        )}
      </div>
    </header>
  )
}
