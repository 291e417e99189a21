import { create } from 'zustand'
import {
  MAX_WINDOW,
  type FleetFacets,
  type FleetFilters,
  type FleetQuery,
  type FleetSort,
  type FleetSyncStatus,
  type SavedView,
  type VehiclePageData
} from '../../../../shared/calls/fleet'
import type { FleetRollup } from '../../../../shared/protocol/messages'
import { ota } from '../../ota'
import { BLOCK, missingRuns, trimmed, type Block } from './row-blocks'

export const DEFAULT_QUERY: FleetQuery = { filters: {}, sort: 'vin', order: 'asc' }

export interface VehicleState {
  vin: string
  data?: VehiclePageData
  error?: string
}

interface FleetState {
  query: FleetQuery
  /** Vehicles the query selects; null until the first window answers. */
  total: number | null
  blocks: Map<number, Block>
  /** Bumped whenever the core's copy changes, so the rows in view are asked again. */
  version: number
  syncedAt: string | null
  stale: boolean
  sync?: FleetSyncStatus
  facets?: FleetFacets
  views: SavedView[]
  viewId: string | null
  /** The backend's live counts, when the live link brings them. */
  summary?: FleetRollup
  error?: string
  /** The vehicle page, when open; the table keeps its place behind it. */
  vehicle: VehicleState | null
  scrollTop: number
  active: number
  /** Back from a vehicle: the table takes the keyboard focus again. */
  refocus: boolean
  init(): Promise<void>
  setFilters(patch: Partial<FleetFilters>): void
  clearFilters(): void
  sortBy(column: FleetSort): void
  ensure(first: number, last: number): void
  syncNow(): Promise<void>
  saveView(name: string): Promise<string | undefined>
  deleteView(id: string): Promise<void>
  applyView(id: string): void
  openVehicle(vin: string, index: number): Promise<void>
  closeVehicle(): void
  remember(scrollTop: number, active: number): void
}

const withoutEmpty = (filters: FleetFilters): FleetFilters => Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as FleetFilters

export const useFleet = create<FleetState>()((set, get) => {
  // A new query (or profile) makes answers to the old one moot; pending blocks belong to one query.
  let generation = 0
  let pending = new Set<number>()

  const showQuery = (query: FleetQuery, viewId: string | null = null) => {
    generation++
    pending = new Set()
    set({ query, viewId, total: null, blocks: new Map(), scrollTop: 0, active: 0, error: undefined })
  }

  async function fetchRun(block: number, count: number) {
    const mine = generation
    const asked = pending
    const { query, version } = get()
    for (let b = block; b < block + count; b++) asked.add(b)
    const r = await ota.fleet.window({ ...query, offset: block * BLOCK, limit: count * BLOCK })
    for (let b = block; b < block + count; b++) asked.delete(b)
    if (mine !== generation) return
    if (!r.ok) return set({ error: r.error.message })
    const blocks = new Map(get().blocks)
    for (let i = 0; i < count; i++) blocks.set(block + i, { rows: r.value.rows.slice(i * BLOCK, (i + 1) * BLOCK), version })
    set({ blocks: trimmed(blocks, block * BLOCK), total: r.value.total, syncedAt: r.value.syncedAt, stale: r.value.stale, error: undefined })
  }

  const loadFacets = async () => {
    const r = await ota.fleet.facets()
    if (r.ok) set({ facets: r.value })
  }
  const loadViews = async () => {
    const r = await ota.fleet.views()
    if (r.ok) set({ views: r.value.views })
  }

  ota.on('fleet.summary', (summary) => set({ summary }))
  ota.on('fleet.changed', (sync) => {
    const before = get().sync
    if (before && before.profileId !== sync.profileId) {
      // Another profile, another fleet: nothing of the last one's table applies.
      showQuery(DEFAULT_QUERY)
      set({ summary: undefined, facets: undefined, views: [], vehicle: null })
      void loadViews()
    }
    set({ sync, version: get().version + 1, syncedAt: sync.syncedAt, stale: sync.stale })
    if (sync.state !== 'syncing' && before?.state === 'syncing') void loadFacets()
  })

  return {
    query: DEFAULT_QUERY,
    total: null,
    blocks: new Map(),
    version: 0,
    syncedAt: null,
    stale: false,
    views: [],
    viewId: null,
    vehicle: null,
    scrollTop: 0,
    active: 0,
    refocus: false,
    async init() {
      const r = await ota.fleet.status()
      if (r.ok) set({ sync: r.value, syncedAt: r.value.syncedAt, stale: r.value.stale })
      await Promise.all([loadFacets(), loadViews()])
    },
    setFilters: (patch) => showQuery({ ...get().query, filters: withoutEmpty({ ...get().query.filters, ...patch }) }),
    clearFilters: () => showQuery({ ...get().query, filters: {} }),
    sortBy(column) {
      const { query } = get()
      const order = query.sort === column && query.order === 'asc' ? 'desc' : 'asc'
      showQuery({ ...query, sort: column, order })
    },
    ensure(first, last) {
      const { total, blocks, version } = get()
      for (const run of missingRuns(first, last, total, blocks, pending, version, MAX_WINDOW / BLOCK)) void fetchRun(run.block, run.count)
    },
    async syncNow() {
      const r = await ota.fleet.sync()
      if (!r.ok) set({ error: r.error.message })
    },
    async saveView(name) {
      const r = await ota.fleet.saveView({ name, query: get().query })
      if (!r.ok) return r.error.message
      await loadViews()
      set({ viewId: r.value.id })
      return undefined
    },
    async deleteView(id) {
      const r = await ota.fleet.deleteView({ id })
      if (!r.ok) set({ error: r.error.message })
      if (get().viewId === id) set({ viewId: null })
      await loadViews()
    },
    applyView(id) {
      const view = get().views.find((v) => v.id === id)
      if (view) showQuery(view.query, view.id)
    },
    async openVehicle(vin, index) {
      set({ vehicle: { vin }, active: index })
      const r = await ota.fleet.vehicle({ vin })
      if (get().vehicle?.vin !== vin) return
      set({ vehicle: r.ok ? { vin, data: r.value } : { vin, error: r.error.message } })
    },
    closeVehicle: () => set({ vehicle: null, refocus: true }),
    remember: (scrollTop, active) => set({ scrollTop, active })
  }
})
