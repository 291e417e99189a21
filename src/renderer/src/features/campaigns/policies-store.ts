import { create } from 'zustand'
import type { PolicyInput, PolicyView } from '../../../../shared/fleet/jobs'
import { ota, unwrap } from '../../ota'

interface PoliciesState {
  policies: PolicyView[]
  loaded: boolean
  error?: string
  load(): Promise<void>
  save(id: string | null, policy: PolicyInput): Promise<PolicyView>
  remove(id: string): Promise<void>
}

export const usePolicies = create<PoliciesState>()((set, get) => ({
  policies: [],
  loaded: false,
  async load() {
    const r = await ota.policies.list()
    if (r.ok) set({ policies: r.value.policies, loaded: true, error: undefined })
    else set({ loaded: true, error: r.error.message })
  },
  async save(id, policy) {
    const saved = await unwrap(id ? ota.policies.update({ id, policy }) : ota.policies.create(policy))
    set({ policies: [...get().policies.filter((p) => p.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)) })
    return saved
  },
  async remove(id) {
    await unwrap(ota.policies.delete({ id }))
    set({ policies: get().policies.filter((p) => p.id !== id) })
  }
}))
