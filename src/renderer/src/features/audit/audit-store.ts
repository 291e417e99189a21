import { create } from 'zustand'
import type { AuditEntry } from '../../../../shared/fleet/audit'
import { ota } from '../../ota'
import { EMPTY_FORM, exportFileName, toFilters, type FilterForm } from './audit-filters'
import { saveFile } from '../../components/save-file'

/** Entries per page of the screen. */
const PAGE_SIZE = 100

export type ExportState =
  { state: 'idle' } | { state: 'running'; rows: number } | { state: 'done'; rows: number; capped: boolean; fileName: string } | { state: 'failed'; message: string }

interface AuditState {
  form: FilterForm
  entries: AuditEntry[]
  nextCursor: number | null
  loaded: boolean
  loading: boolean
  loadingMore: boolean
  error?: string
  /** The filters the shown entries answer (as toFilters' JSON), to tell when they are out of date. */
  shownFor: string
  /** The action names the log holds, for the action filter. */
  actions: string[]
  exporting: ExportState
  setForm(patch: Partial<FilterForm>): void
  clearForm(): void
  load(): Promise<void>
  loadMore(): Promise<void>
  loadActions(): Promise<void>
  exportCsv(): Promise<void>
}

export const useAudit = create<AuditState>()((set, get) => {
  // A newer load makes older answers moot: they would show rows of filters no longer set.
  let generation = 0
  let exportId = ''
  ota.on('audit.exportProgress', (p) => {
    if (p.exportId === exportId) set({ exporting: { state: 'running', rows: p.rows } })
  })
  return {
    form: EMPTY_FORM,
    entries: [],
    nextCursor: null,
    loaded: false,
    loading: false,
    loadingMore: false,
    shownFor: '',
    actions: [],
    exporting: { state: 'idle' },
    setForm: (patch) => set({ form: { ...get().form, ...patch } }),
    clearForm: () => set({ form: EMPTY_FORM }),
    async load() {
      const mine = ++generation
      const filters = toFilters(get().form)
      set({ loading: true, loadingMore: false })
      const r = await ota.audit.query({ ...filters, limit: PAGE_SIZE })
      if (mine !== generation) return
      const shownFor = JSON.stringify(filters)
      if (r.ok) set({ entries: r.value.entries, nextCursor: r.value.nextCursor, loaded: true, loading: false, shownFor, error: undefined })
      else set({ entries: [], nextCursor: null, loaded: true, loading: false, shownFor, error: r.error.message })
    },
    async loadMore() {
      const { nextCursor, entries } = get()
      if (nextCursor === null) return
      const mine = generation
      set({ loadingMore: true })
      const r = await ota.audit.query({ ...toFilters(get().form), cursor: nextCursor, limit: PAGE_SIZE })
      if (mine !== generation) return
      if (r.ok) set({ entries: [...entries, ...r.value.entries], nextCursor: r.value.nextCursor, loadingMore: false, error: undefined })
      else set({ loadingMore: false, error: r.error.message })
    },
    async loadActions() {
      const r = await ota.audit.actions()
      if (r.ok) set({ actions: r.value.actions })
    },
    async exportCsv() {
      exportId = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`
      set({ exporting: { state: 'running', rows: 0 } })
      const r = await ota.audit.exportCsv({ ...toFilters(get().form), exportId })
      if (!r.ok) return set({ exporting: { state: 'failed', message: r.error.message } })
      const fileName = exportFileName(new Date())
      saveFile([r.value.csv], fileName, 'text/csv;charset=utf-8')
      set({ exporting: { state: 'done', rows: r.value.rows, capped: r.value.capped, fileName } })
    }
  }
})
