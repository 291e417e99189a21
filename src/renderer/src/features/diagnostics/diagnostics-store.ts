import { create } from 'zustand'
import type { DiagRunAnswer, DiagRunProgress, DiagRunSummary, DiagRunView, EcuSelection } from '../../../../shared/calls/diagnostic-runs'
import { MAX_RUN_VEHICLES } from '../../../../shared/calls/diagnostic-runs'
import { MAX_WINDOW, type FleetFacets } from '../../../../shared/calls/fleet'
import { saveFile } from '../../components/save-file'
import type { MessageVars } from '../../i18n'
import { ota, unwrap } from '../../ota'
import { DEFAULT_SERVICE, parseVins, serviceOperation, type FormProblem, type ServiceForm } from './diagnostics-form'

export type PickMode = 'filter' | 'paste'

export interface FleetFilter {
  model: string
  region: string
  onlineOnly: boolean
  limit: number
}

/** The run on screen: its view as last asked, its latest progress, the answers loaded so far. */
export interface CurrentRun {
  runId: string
  view: DiagRunView | null
  progress: DiagRunProgress | null
  answers: DiagRunAnswer[]
  answersTotal: number
  error: string | null
}

/** A message for the user: a catalog key with what goes in it, or the core's own words. */
export type Problem = { key: FormProblem | 'dxPickInvalid' | 'dxPickNone' | 'dxPickTooMany'; vars?: MessageVars } | { message: string }

interface DiagnosticsState {
  facets: FleetFacets | null
  mode: PickMode
  filter: FleetFilter
  pasted: string
  vins: string[]
  picking: boolean
  pickProblem: Problem | null
  ecus: EcuSelection
  service: ServiceForm
  starting: boolean
  startProblem: Problem | null
  current: CurrentRun | null
  history: DiagRunSummary[]
  historyLoaded: boolean
  historyError: string | null
  exportError: string | null
  /** Loads what the screen chooses from; another profile than last time starts afresh. */
  init(profileId: string | null): Promise<void>
  setMode(mode: PickMode): void
  setFilter(patch: Partial<FleetFilter>): void
  setPasted(text: string): void
  pickByFilter(): Promise<void>
  pickPasted(): void
  setEcus(ecus: EcuSelection): void
  setService(patch: Partial<ServiceForm>): void
  send(): Promise<void>
  cancel(): Promise<void>
  open(runId: string): Promise<void>
  moreAnswers(): Promise<void>
  loadHistory(): Promise<void>
  exportRun(runId: string, format: 'csv' | 'json'): Promise<void>
  deleteRun(runId: string): Promise<void>
}

/** Answers loaded at a time; a run of a few vehicles shows them all at once. */
export const ANSWER_PAGE = 50
/** While a run goes on its aggregation is asked again at most this often. */
const VIEW_REFRESH_MS = 1000

const message = (err: unknown) => (err as Error).message

export const useDiagnostics = create<DiagnosticsState>()((set, get) => {
  let lastViewAt = 0
  let shownProfile: string | null | undefined

  async function loadView(runId: string) {
    lastViewAt = Date.now()
    const r = await ota.diagnostics.run({ runId })
    const current = get().current
    if (current?.runId !== runId) return
    if (!r.ok) return set({ current: { ...current, error: r.error.message } })
    const answers = await ota.diagnostics.answers({ runId, offset: 0, limit: Math.max(ANSWER_PAGE, get().current?.answers.length ?? 0) })
    const now = get().current
    if (now?.runId !== runId) return
    set({
      current: {
        ...now,
        view: r.value,
        answers: answers.ok ? answers.value.answers : now.answers,
        answersTotal: answers.ok ? answers.value.total : now.answersTotal,
        error: answers.ok ? null : answers.error.message
      }
    })
  }

  // The fleet copy filled or changed: the models, regions and ECUs to choose from may have too.
  ota.on('fleet.changed', (sync) => {
    if (sync.state !== 'syncing') void ota.fleet.facets().then((r) => r.ok && set({ facets: r.value }))
  })

  ota.on('diagnostics.progress', (progress) => {
    const current = get().current
    if (current?.runId !== progress.runId) return
    set({ current: { ...current, progress } })
    if (progress.state !== 'running') {
      void loadView(progress.runId)
      void get().loadHistory()
    } else if (Date.now() - lastViewAt >= VIEW_REFRESH_MS) void loadView(progress.runId)
  })

  return {
    facets: null,
    mode: 'filter',
    filter: { model: '', region: '', onlineOnly: false, limit: 200 },
    pasted: '',
    vins: [],
    picking: false,
    pickProblem: null,
    ecus: 'all',
    service: DEFAULT_SERVICE,
    starting: false,
    startProblem: null,
    current: null,
    history: [],
    historyLoaded: false,
    historyError: null,
    exportError: null,

    async init(profileId) {
      if (profileId !== shownProfile) set({ vins: [], current: null, pickProblem: null, startProblem: null, exportError: null })
      shownProfile = profileId
      const facets = await ota.fleet.facets()
      if (facets.ok) set({ facets: facets.value })
      await get().loadHistory()
    },
    setMode: (mode) => set({ mode, pickProblem: null }),
    setFilter: (patch) => set({ filter: { ...get().filter, ...patch } }),
    setPasted: (pasted) => set({ pasted }),

    /** The first `limit` VINs the fleet copy has for the filter, in VIN order. */
    async pickByFilter() {
      const { filter } = get()
      const limit = Math.min(Math.max(1, Math.floor(filter.limit) || 1), MAX_RUN_VEHICLES)
      const filters = { ...(filter.model ? { model: filter.model } : {}), ...(filter.region ? { region: filter.region } : {}), ...(filter.onlineOnly ? { online: true } : {}) }
      set({ picking: true, pickProblem: null })
      try {
        const vins: string[] = []
        for (let offset = 0; vins.length < limit;) {
          const page = await unwrap(ota.fleet.window({ filters, sort: 'vin', order: 'asc', offset, limit: Math.min(MAX_WINDOW, limit - vins.length) }))
          vins.push(...page.rows.map((r) => r.vin))
          offset += page.rows.length
          if (page.rows.length === 0 || offset >= page.total) break
        }
        set({ vins, picking: false, pickProblem: vins.length === 0 ? { key: 'dxPickNone' } : null })
      } catch (err) {
        set({ picking: false, pickProblem: { message: message(err) } })
      }
    },
    pickPasted() {
      const { vins, invalid } = parseVins(get().pasted)
      if (invalid.length > 0) return set({ pickProblem: { key: 'dxPickInvalid', vars: { words: invalid.slice(0, 5).join(', ') } } })
      if (vins.length > MAX_RUN_VEHICLES) return set({ pickProblem: { key: 'dxPickTooMany', vars: { max: MAX_RUN_VEHICLES, count: vins.length } } })
      set({ vins, pickProblem: vins.length === 0 ? { key: 'dxPickNone' } : null })
    },
    setEcus: (ecus) => set({ ecus }),
    setService: (patch) => set({ service: { ...get().service, ...patch }, startProblem: null }),

    async send() {
      const { vins, ecus, service } = get()
      const parsed = serviceOperation(service)
      if ('problem' in parsed) return set({ startProblem: { key: parsed.problem, vars: { did: parsed.detail ?? '' } } })
      set({ starting: true, startProblem: null })
      const r = await ota.diagnostics.start({ vins, ecus, operation: parsed.operation })
      if (!r.ok) return set({ starting: false, startProblem: { message: r.error.message } })
      lastViewAt = Date.now()
      set({ starting: false, current: { runId: r.value.id, view: null, progress: null, answers: [], answersTotal: 0, error: null } })
      void get().loadHistory()
    },
    async cancel() {
      const current = get().current
      if (!current) return
      const r = await ota.diagnostics.cancel({ runId: current.runId })
      if (!r.ok && r.error.code !== 'CONFLICT') set({ current: { ...current, error: r.error.message } })
    },
    async open(runId) {
      set({ current: { runId, view: null, progress: null, answers: [], answersTotal: 0, error: null } })
      await loadView(runId)
    },
    async moreAnswers() {
      const current = get().current
      if (!current) return
      const r = await ota.diagnostics.answers({ runId: current.runId, offset: current.answers.length, limit: ANSWER_PAGE })
      const now = get().current
      if (now?.runId !== current.runId) return
      set({ current: r.ok ? { ...now, answers: [...now.answers, ...r.value.answers], answersTotal: r.value.total } : { ...now, error: r.error.message } })
    },
    async loadHistory() {
      const r = await ota.diagnostics.runs({})
      set(
        r.ok
          ? { history: r.value.runs, historyLoaded: true, historyError: null }
          : { historyLoaded: true, historyError: r.error.code === 'NO_CONNECTION' ? null : r.error.message, history: [] }
      )
    },
    async exportRun(runId, format) {
      const r = await ota.diagnostics.export({ runId, format })
      if (!r.ok) return set({ exportError: r.error.message })
      set({ exportError: null })
      saveFile([r.value.content], r.value.name, r.value.mime)
    },
    async deleteRun(runId) {
      const r = await ota.diagnostics.delete({ runId })
      if (!r.ok) return set({ historyError: r.error.message })
      if (get().current?.runId === runId) set({ current: null })
      await get().loadHistory()
    }
  }
})
