import { create } from 'zustand'
import type { ResultsImportReport } from '../../../../shared/bundle/api'
import type { BundleVerdict } from '../../../../shared/bundle/report'
import type { ImportedBundle, WorkshopStatus } from '../../../../shared/calls/bundles'
import { ota, unwrap } from '../../ota'
import { saveFile, sendFile } from './bundle-files'

/** A file on its way in: sent in chunks, then judged. */
export type Incoming =
  | { phase: 'idle' }
  | { phase: 'sending'; name: string; size: number; sent: number }
  | { phase: 'judged'; name: string; fileId: string; verdict: BundleVerdict }
  | { phase: 'imported'; name: string; bundle: ImportedBundle }
  | { phase: 'failed'; name: string; message: string }

export type ResultsBack =
  { phase: 'idle' } | { phase: 'sending'; name: string; size: number; sent: number } | { phase: 'done'; report: ResultsImportReport } | { phase: 'failed'; message: string }

interface BundlesState {
  workshop: WorkshopStatus | null
  workshopError: string | null
  registering: boolean
  bundles: ImportedBundle[]
  loaded: boolean
  listError: string | null
  incoming: Incoming
  results: ResultsBack
  exportError: string | null
  loadWorkshop(): Promise<void>
  register(name: string): Promise<void>
  loadBundles(): Promise<void>
  open(file: File): Promise<void>
  importOpened(): Promise<void>
  exportResults(bundleId: string): Promise<void>
  sendResults(file: File): Promise<void>
}

const message = (err: unknown) => (err as Error).message

export const useBundles = create<BundlesState>()((set, get) => ({
  workshop: null,
  workshopError: null,
  registering: false,
  bundles: [],
  loaded: false,
  listError: null,
  incoming: { phase: 'idle' },
  results: { phase: 'idle' },
  exportError: null,

  async loadWorkshop() {
    const r = await ota.bundles.workshop()
    set(r.ok ? { workshop: r.value, workshopError: null } : { workshop: null, workshopError: r.error.code === 'NO_CONNECTION' ? null : r.error.message })
  },
  async register(name) {
    set({ registering: true, workshopError: null })
    const r = await ota.bundles.registerWorkshop({ name })
    set(r.ok ? { workshop: r.value, registering: false } : { workshopError: r.error.message, registering: false })
  },
  async loadBundles() {
    const r = await ota.bundles.list()
    set(r.ok ? { bundles: r.value.bundles, loaded: true, listError: null } : { loaded: true, listError: r.error.message })
  },
  async open(file) {
    const previous = get().incoming
    if (previous.phase === 'judged') void ota.bundles.fileDiscard({ fileId: previous.fileId })
    set({ incoming: { phase: 'sending', name: file.name, size: file.size, sent: 0 } })
    try {
      const fileId = await sendFile(file, (sent) => set({ incoming: { phase: 'sending', name: file.name, size: file.size, sent } }))
      set({ incoming: { phase: 'judged', name: file.name, fileId, verdict: await unwrap(ota.bundles.verify({ fileId })) } })
    } catch (err) {
      set({ incoming: { phase: 'failed', name: file.name, message: message(err) } })
    }
  },
  async importOpened() {
    const incoming = get().incoming
    if (incoming.phase !== 'judged') return
    try {
      const bundle = await unwrap(ota.bundles.import({ fileId: incoming.fileId }))
      void ota.bundles.fileDiscard({ fileId: incoming.fileId })
      set({ incoming: { phase: 'imported', name: incoming.name, bundle } })
      await get().loadBundles()
    } catch (err) {
      set({ incoming: { phase: 'failed', name: incoming.name, message: message(err) } })
    }
  },
  async exportResults(bundleId) {
    set({ exportError: null })
    try {
      const file = await unwrap(ota.bundles.exportResults({ bundleId }))
      await saveFile(file.fileId, file.name)
    } catch (err) {
      set({ exportError: message(err) })
    }
  },
  async sendResults(file) {
    set({ results: { phase: 'sending', name: file.name, size: file.size, sent: 0 } })
    try {
      const fileId = await sendFile(file, (sent) => set({ results: { phase: 'sending', name: file.name, size: file.size, sent } }))
      const report = await unwrap(ota.bundles.importResults({ fileId }))
      void ota.bundles.fileDiscard({ fileId })
      set({ results: { phase: 'done', report } })
    } catch (err) {
      set({ results: { phase: 'failed', message: message(err) } })
    }
  }
}))

ota.on('bundles.changed', () => void useBundles.getState().loadBundles())
