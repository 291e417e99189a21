import { create } from 'zustand'
import type { ArtifactView } from '../../../../shared/fleet/catalog'
import { ota } from '../../ota'
import { createSpeedMeter } from './upload-progress'

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; name: string; size: number; sent: number; bytesPerSecond: number | null }
  | { phase: 'done'; name: string; artifact: ArtifactView }
  | { phase: 'failed'; name: string; message: string }
  | { phase: 'canceled'; name: string }

interface UploadStore {
  state: UploadState
  start(file: File): Promise<void>
  cancel(): Promise<void>
  reset(): void
}

/** One slice of the file as base64, the form a chunk travels in over IPC and WebSocket alike. */
const readChunk = (file: File, start: number, end: number) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader()
    reader.onload = () => resolve(String(reader.result).split(',', 2)[1] ?? '')
    reader.onerror = () => reject(reader.error ?? new Error(`could not read ${file.name}`))
    reader.readAsDataURL(file.slice(start, end))
  })

// The upload in flight: a new start or a cancel ends it, whichever screen is showing.
let current: { id?: string; canceled: boolean } | undefined

export const useUpload = create<UploadStore>()((set) => {
  const failed = (name: string, message: string) => set({ state: { phase: 'failed', name, message } })
  return {
    state: { phase: 'idle' },

    async start(file) {
      const run: { id?: string; canceled: boolean } = { canceled: false }
      current = run
      const { name, size } = file
      set({ state: { phase: 'uploading', name, size, sent: 0, bytesPerSecond: null } })
      const begun = await ota.uploads.begin({ name, size })
      if (!begun.ok) return failed(name, begun.error.message)
      run.id = begun.value.id
      if (run.canceled) return void ota.uploads.cancel({ id: run.id })
      const { chunkBytes } = begun.value
      const speed = createSpeedMeter()
      let sent = 0
      // Read the next slice while the current one travels.
      let next = readChunk(file, 0, Math.min(chunkBytes, size))
      while (sent < size) {
        let data: string
        try {
          data = await next
        } catch (err) {
          void ota.uploads.cancel({ id: run.id })
          return failed(name, (err as Error).message)
        }
        const end = Math.min(sent + chunkBytes, size)
        if (end < size) next = readChunk(file, end, Math.min(end + chunkBytes, size))
        if (run.canceled) return
        const r = await ota.uploads.chunk({ id: run.id, offset: sent, data })
        if (run.canceled) return
        if (!r.ok) {
          void ota.uploads.cancel({ id: run.id })
          return failed(name, r.error.message)
        }
        sent = r.value.received
        set({ state: { phase: 'uploading', name, size, sent, bytesPerSecond: speed(sent) } })
      }
      const finished = await ota.uploads.finish({ id: run.id })
      if (run.canceled) return
      if (!finished.ok) return failed(name, finished.error.message)
      set({ state: { phase: 'done', name, artifact: finished.value } })
    },

    async cancel() {
      const run = current
      if (!run) return
      run.canceled = true
      set((s) => ({ state: { phase: 'canceled', name: s.state.phase === 'idle' ? '' : s.state.name } }))
      if (run.id) await ota.uploads.cancel({ id: run.id })
    },

    reset() {
      current = undefined
      set({ state: { phase: 'idle' } })
    }
  }
})
