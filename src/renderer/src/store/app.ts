import { create } from 'zustand'
import type { AppStatus } from '../../../shared/settings'
import { ota } from '../ota'

export type Screen = 'fleet' | 'firmware' | 'policies' | 'jobs' | 'audit' | 'certificates' | 'bundles' | 'diagnostics' | 'workshop' | 'connections' | 'settings'

interface AppState {
  status?: AppStatus
  /** Set when even app.status could not be asked: the host is unreachable or refused us. */
  fatal?: string
  screen: Screen
  loadStatus(): Promise<void>
  show(screen: Screen): void
}

export const useApp = create<AppState>()((set) => ({
  screen: 'connections',
  async loadStatus() {
    const result = await ota.app.status()
    if (result.ok) set({ status: result.value, fatal: undefined })
    else set({ fatal: result.error.message })
  },
  show: (screen) => set({ screen })
}))
