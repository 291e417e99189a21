import { create } from 'zustand'
import type { CertificateFilters, SavedCertificateView } from '../../../../shared/calls/certificates'
import { EXPIRING_DAYS, type CertificateSummary, type DeviceCertificateView, type RevocationReason } from '../../../../shared/fleet/certificates'
import { ota } from '../../ota'

/** Certificates per page of the screen. */
const PAGE_SIZE = 100

export const DEFAULT_FILTERS: CertificateFilters = { expiringDays: EXPIRING_DAYS, sort: 'notAfter', order: 'asc' }

/** The filters as the backend takes them: an empty search is no search. */
const asQuery = (f: CertificateFilters): CertificateFilters => ({ ...f, q: f.q?.trim() || undefined })
export const filtersKey = (f: CertificateFilters) => JSON.stringify(asQuery(f))
export const hasFilters = (f: CertificateFilters) => filtersKey(f) !== filtersKey(DEFAULT_FILTERS)

interface CertificatesState {
  filters: CertificateFilters
  certificates: DeviceCertificateView[]
  nextCursor: string | null
  loaded: boolean
  loading: boolean
  loadingMore: boolean
  /** The filters the shown certificates answer (filtersKey), to tell when they are out of date. */
  shownFor: string
  error?: string
  summary?: CertificateSummary
  views: SavedCertificateView[]
  viewId: string | null
  setFilters(patch: Partial<CertificateFilters>): void
  clearFilters(): void
  load(): Promise<void>
  loadMore(): Promise<void>
  loadSummary(): Promise<void>
  loadViews(): Promise<void>
  saveView(name: string): Promise<string | undefined>
  deleteView(id: string): Promise<void>
  applyView(id: string): void
  /** Each answers the error to show, or nothing when done. */
  revoke(serial: string, reason: RevocationReason, comment: string): Promise<string | undefined>
  requestRenewal(serial: string): Promise<string | undefined>
}

export const useCertificates = create<CertificatesState>()((set, get) => {
  // A newer load makes older answers moot: they would show certificates of filters no longer set.
  let generation = 0
  /** The list and the counts again, after an action changed a certificate. */
  const reload = () => Promise.all([get().load(), get().loadSummary()])
  return {
    filters: DEFAULT_FILTERS,
    certificates: [],
    nextCursor: null,
    loaded: false,
    loading: false,
    loadingMore: false,
    shownFor: '',
    views: [],
    viewId: null,
    setFilters: (patch) => set({ filters: { ...get().filters, ...patch }, viewId: null }),
    clearFilters: () => set({ filters: DEFAULT_FILTERS, viewId: null }),
    async load() {
      const mine = ++generation
      const query = asQuery(get().filters)
      set({ loading: true, loadingMore: false })
      const r = await ota.certificates.list({ ...query, limit: PAGE_SIZE })
      if (mine !== generation) return
      const shownFor = filtersKey(query)
      if (r.ok) set({ certificates: r.value.certificates, nextCursor: r.value.nextCursor, loaded: true, loading: false, shownFor, error: undefined })
      else set({ certificates: [], nextCursor: null, loaded: true, loading: false, shownFor, error: r.error.message })
    },
    async loadMore() {
      const { nextCursor, certificates } = get()
      if (nextCursor === null) return
      const mine = generation
      set({ loadingMore: true })
      const r = await ota.certificates.list({ ...asQuery(get().filters), cursor: nextCursor, limit: PAGE_SIZE })
      if (mine !== generation) return
      if (r.ok) set({ certificates: [...certificates, ...r.value.certificates], nextCursor: r.value.nextCursor, loadingMore: false, error: undefined })
      else set({ loadingMore: false, error: r.error.message })
    },
    async loadSummary() {
      const r = await ota.certificates.summary({ expiringDays: get().filters.expiringDays })
      set({ summary: r.ok ? r.value : undefined })
    },
    async loadViews() {
      const r = await ota.certificates.views()
      if (r.ok) set({ views: r.value.views })
    },
    async saveView(name) {
      const r = await ota.certificates.saveView({ name, query: asQuery(get().filters) })
      if (!r.ok) return r.error.message
      await get().loadViews()
      set({ viewId: r.value.id })
    },
    async deleteView(id) {
      const r = await ota.certificates.deleteView({ id })
      await get().loadViews()
      if (r.ok && get().viewId === id) set({ viewId: null })
    },
    applyView(id) {
      const view = get().views.find((v) => v.id === id)
      if (view) set({ filters: { ...DEFAULT_FILTERS, ...view.query }, viewId: id })
    },
    async revoke(serial, reason, comment) {
      const r = await ota.certificates.revoke({ serial, reason, comment: comment.trim() || undefined })
      if (!r.ok) return r.error.message
      await reload()
    },
    async requestRenewal(serial) {
      const r = await ota.certificates.requestRenewal({ serial })
      if (!r.ok) return r.error.message
      await reload()
    }
  }
})
