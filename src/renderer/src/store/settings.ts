import { create } from 'zustand'
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/settings'
import { ota } from '../ota'

interface SettingsState {
  settings: Settings
  load(): Promise<void>
  update(patch: Partial<Settings>): Promise<void>
}

export const useSettings = create<SettingsState>()((set) => ({
  settings: DEFAULT_SETTINGS,
  async load() {
    const result = await ota.settings.get()
    if (result.ok) set({ settings: result.value })
  },
  async update(patch) {
    // Show the choice at once; the core's answer (or its event) settles it.
    set((s) => ({ settings: { ...s.settings, ...patch } }))
    const result = await ota.settings.update(patch)
    if (result.ok) set({ settings: result.value })
  }
}))

ota.on('settings.changed', (settings) => useSettings.setState({ settings }))
