import { create } from 'zustand'
import type { FlashProgressEvent } from '../../../../shared/calls/uds-session'
import type { FlashPhase } from '../../../../shared/uds-client'
import { ota } from '../../ota'
import { useWorkshop } from './workshop-store'

/** A flash on screen, from the request to its end: the steps it went through and its last report. */
export interface FlashView {
  session: string
  target: number
  ecu: string
  bundleId: string
  version: string | null
  state: 'starting' | FlashProgressEvent['state'] | 'refused'
  flashId: string | null
  progress: FlashProgressEvent | null
  /** Steps reported so far, in order. */
  seen: FlashPhase[]
  /** Why it was refused, failed or stopped. */
  message: string | null
  aborting: boolean
}

interface FlashState {
  flash: FlashView | null
  start(input: { session: string; target: number; ecu: string; bundleId: string; version: string | null }): Promise<void>
  abort(): Promise<void>
  dismiss(): void
}

export const useFlash = create<FlashState>()((set, get) => {
  // Reports can come before diag.flash answers with the id: until then, the session and ECU tell ours.
  ota.on('diag.progress', (event) => {
    const flash = get().flash
    if (!flash || (flash.flashId ? event.flashId !== flash.flashId : event.session !== flash.session || event.target !== flash.target)) return
    if (flash.state !== 'starting' && flash.state !== 'running') return
    const seen = flash.seen.includes(event.step) ? flash.seen : [...flash.seen, event.step]
    set({ flash: { ...flash, flashId: event.flashId, progress: event, seen, state: event.state, message: event.message, aborting: flash.aborting && event.state === 'running' } })
    if (event.state === 'succeeded' && event.versionAfter) useWorkshop.getState().updateSoftware(event.target, event.versionAfter)
  })

  return {
    flash: null,
    async start(input) {
      set({ flash: { ...input, state: 'starting', flashId: null, progress: null, seen: [], message: null, aborting: false } })
      const r = await ota.diag.flash({ session: input.session, target: input.target, bundleId: input.bundleId })
      const flash = get().flash
      if (!flash || flash.session !== input.session || flash.target !== input.target) return
      set({ flash: r.ok ? { ...flash, flashId: r.value.flashId } : { ...flash, state: 'refused', message: r.error.message } })
    },
    async abort() {
      const flash = get().flash
      if (!flash?.flashId) return
      set({ flash: { ...flash, aborting: true } })
      const r = await ota.diag.abort({ flashId: flash.flashId })
      // NOT_FOUND: it ended meanwhile; its last report says how.
      if (!r.ok && r.error.code !== 'NOT_FOUND') set({ flash: { ...get().flash!, aborting: false, message: r.error.message } })
    },
    dismiss: () => set({ flash: null })
  }
})
