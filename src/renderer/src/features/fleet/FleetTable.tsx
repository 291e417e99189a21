import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { FleetRow, FleetSort } from '../../../../shared/calls/fleet'
import type { Formats } from '../../../../shared/format'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { softwareOf } from './fleet-format'
import { useFleet } from './fleet-store'
import { rowAt } from './row-blocks'

export const ROW_HEIGHT = 34
/** Rows rendered above and below the visible ones, so a scroll shows rows before it asks for them. */
const OVERSCAN = 12
/** At most one request for rows per this many ms while scrolling. */
const FETCH_EVERY_MS = 40

type Column = { key: FleetSort | 'tags' | 'software'; label: MessageKey }
const COLUMNS: Column[] = [
  { key: 'vin', label: 'fleetColVin' },
  { key: 'model', label: 'fleetColModel' },
  { key: 'region', label: 'fleetColRegion' },
  { key: 'online', label: 'fleetColStatus' },
  { key: 'lastSeen', label: 'fleetColLastSeen' },
  { key: 'software', label: 'fleetColSoftware' },
  { key: 'tags', label: 'fleetColTags' }
]
const SORTABLE = new Set<string>(['vin', 'model', 'region', 'online', 'lastSeen'])

interface RowProps {
  index: number
  row: FleetRow | undefined
  active: boolean
  ecu: string | undefined
  format: Formats
  words: { online: string; offline: string; loading: string }
  onOpen(index: number): void
}

/** One row, placed by transform; rows keep their DOM node as the window slides (keyed by slot). */
const RowView = memo(function RowView({ index, row, active, ecu, format, words, onOpen }: RowProps) {
  return (
    <div
      role="row"
      id={`fleet-row-${index}`}
      aria-rowindex={index + 2}
      aria-selected={active}
      aria-busy={row ? undefined : true}
      className={`fleet-row${active ? ' active' : ''}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onClick={() => onOpen(index)}
    >
      {row ? (
        <>
          <div role="gridcell" className="vin">
            {row.vin}
          </div>
          <div role="gridcell">{row.model}</div>
          <div role="gridcell">{row.region}</div>
          <div role="gridcell">
            <span className={`fleet-dot ${row.online ? 'on' : 'off'}`} aria-hidden="true" />
            {row.online ? words.online : words.offline}
          </div>
          <div role="gridcell">{row.lastSeen ? format.dateTime(row.lastSeen) : ''}</div>
          <div role="gridcell">{softwareOf(row, ecu)}</div>
          <div role="gridcell" className="tags">
            {row.tags.join(', ')}
          </div>
        </>
      ) : (
        <div role="gridcell" className="loading">
          {words.loading}
        </div>
      )}
    </div>
  )
})

/**
 * The fleet as a virtualized grid: only the rows in view (plus a few) are in the DOM, over a
 * body as tall as every row; rows are asked for in blocks as the view moves. Arrow keys, Page
 * Up/Down, Home and End move the active row; Enter opens its vehicle.
 */
export function FleetTable() {
  const t = useT()
  const format = useFormat()
  const { query, total, blocks, version, savedTop, savedActive, ensure, sortBy, openVehicle, remember } = useFleet(
    useShallow((s) => ({
      query: s.query,
      total: s.total,
      blocks: s.blocks,
      version: s.version,
      savedTop: s.scrollTop,
      savedActive: s.active,
      ensure: s.ensure,
      sortBy: s.sortBy,
      openVehicle: s.openVehicle,
      remember: s.remember
    }))
  )
  const grid = useRef<HTMLDivElement>(null)
  const [top, setTop] = useState(savedTop)
  const [height, setHeight] = useState(600)
  const [active, setActive] = useState(savedActive)
  // Where the table is, kept outside React's state so scrolling within a row renders nothing.
  const place = useRef({ top: savedTop, active: savedActive })
  const activate = (index: number) => {
    place.current.active = index
    setActive(index)
  }

  const count = total ?? 0
  const inView = Math.ceil(height / ROW_HEIGHT)
  // A new query starts at its top: reset while rendering, so no effect sees the old place with it.
  const queryKey = JSON.stringify(query)
  const [shownKey, setShownKey] = useState(queryKey)
  if (shownKey !== queryKey) {
    setShownKey(queryKey)
    setTop(0)
    setActive(0)
  }
  const scrolledFor = useRef(queryKey)
  useLayoutEffect(() => {
    if (scrolledFor.current === queryKey) return
    scrolledFor.current = queryKey
    grid.current!.scrollTop = 0
    Object.assign(place.current, { top: 0, active: 0 })
  }, [queryKey])

  const first = Math.floor(top / ROW_HEIGHT)
  const start = Math.max(0, first - OVERSCAN)
  const end = Math.min(total ?? Number.MAX_SAFE_INTEGER, first + inView + OVERSCAN)

  useLayoutEffect(() => {
    const el = grid.current!
    const kept = place.current
    el.scrollTop = kept.top
    if (useFleet.getState().refocus) {
      el.focus({ preventScroll: true })
      useFleet.setState({ refocus: false })
    }
    const observer = new ResizeObserver(([entry]) => setHeight(entry!.contentRect.height))
    observer.observe(el)
    return () => {
      observer.disconnect()
      remember(kept.top, kept.active)
    }
  }, [remember])

  // Rows are asked for at once, then at most every FETCH_EVERY_MS while the view keeps moving.
  const wanted = useRef({ start, end })
  const fetching = useRef({ timer: undefined as number | undefined, last: 0 })
  useEffect(() => {
    wanted.current = { start, end }
    const f = fetching.current
    if (f.timer !== undefined) return
    const fetchWanted = () => {
      f.timer = undefined
      f.last = performance.now()
      ensure(wanted.current.start, Math.max(wanted.current.start, wanted.current.end - 1))
    }
    const wait = f.last + FETCH_EVERY_MS - performance.now()
    if (wait <= 0) fetchWanted()
    else f.timer = window.setTimeout(fetchWanted, wait)
  }, [start, end, queryKey, version, total, ensure])
  useEffect(() => () => window.clearTimeout(fetching.current.timer), [])

  const onScroll = () => {
    const now = grid.current!.scrollTop
    // Re-render only when the first row changes; within a row the browser just moves the body.
    if (Math.floor(now / ROW_HEIGHT) !== Math.floor(place.current.top / ROW_HEIGHT)) setTop(now)
    place.current.top = now
  }

  const open = useCallback(
    (index: number) => {
      const row = rowAt(useFleet.getState().blocks, index)
      place.current.active = index
      setActive(index)
      if (row) void openVehicle(row.vin, index)
    },
    [openVehicle]
  )

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(count - 1, index))
    activate(next)
    const el = grid.current!
    const visible = el.clientHeight - ROW_HEIGHT // the sticky header covers one row
    if (next * ROW_HEIGHT < el.scrollTop) el.scrollTop = next * ROW_HEIGHT
    else if ((next + 1) * ROW_HEIGHT > el.scrollTop + visible) el.scrollTop = (next + 1) * ROW_HEIGHT - visible
  }
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.target !== grid.current || count === 0) return
    const page = Math.max(1, inView - 2)
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: count - 1 }
    if (e.key in moves) moveTo(moves[e.key]!)
    else if (e.key === 'Enter') open(active)
    else return
    e.preventDefault()
  }

  const [online, offline, loading] = [t('fleetOnline'), t('fleetOffline'), t('fleetRowLoading')]
  const words = useMemo(() => ({ online, offline, loading }), [online, offline, loading])
  const rows: React.JSX.Element[] = []
  const slots = end - start
  for (let i = start; i < end; i++) {
    rows.push(<RowView key={i % slots} index={i} row={rowAt(blocks, i)} active={i === active} ecu={query.filters.ecu} format={format} words={words} onOpen={open} />)
  }

  return (
    <div
      ref={grid}
      role="grid"
      aria-label={t('fleetTableLabel')}
      aria-rowcount={count + 1}
      aria-colcount={COLUMNS.length}
      aria-activedescendant={count ? `fleet-row-${active}` : undefined}
      tabIndex={0}
      className="fleet-grid"
      onScroll={onScroll}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="fleet-head">
        <div role="row" aria-rowindex={1} className="fleet-row">
          {COLUMNS.map((c) => {
            const sorted = query.sort === c.key
            return (
              <div key={c.key} role="columnheader" aria-sort={sorted ? (query.order === 'asc' ? 'ascending' : 'descending') : SORTABLE.has(c.key) ? 'none' : undefined}>
                {SORTABLE.has(c.key) ? (
                  <button type="button" className="fleet-sort" onClick={() => sortBy(c.key as FleetSort)}>
                    {t(c.label)}
                    <span aria-hidden="true">{sorted ? (query.order === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                ) : (
                  t(c.label)
                )}
              </div>
            )
          })}
        </div>
      </div>
      <div role="rowgroup" className="fleet-body" style={{ height: count * ROW_HEIGHT }}>
        {rows}
      </div>
    </div>
  )
}
