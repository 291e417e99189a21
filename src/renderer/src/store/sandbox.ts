import { create } from 'zustand'
import type { SandboxStatus } from '../../../shared/sandbox'
import { ota } from '../ota'

interface SandboxState {
  status?: SandboxStatus
  error?: string
  load(): Promise<void>
  run(action: 'start' | 'stop' | 'reset'): Promise<void>
  setFailureRate(percent: number): Promise<void>
}

export const useSandbox = create<SandboxState>()((set) => ({
  async load() {
    const r = await ota.sandbox.status()
    if (r.ok) set({ status: r.value })
  },
  async run(action) {
    set({ error: undefined })
    const r = await ota.sandbox[action]()
    if (r.ok) set({ status: r.value })
    else set({ error: r.error.message })
  },
  async setFailureRate(percent) {
    set({ error: undefined })
    const r = await ota.sandbox.setFailureRate({ percent })
    if (r.ok) set({ status: r.value })
    else set({ error: r.error.message })
  }
}))

ota.on('sandbox.changed', (status) => useSandbox.setState({ status }))
