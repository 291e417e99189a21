import { create } from 'zustand'
import type { ModelApproval, PolicyInput, PolicyView } from '../../../../shared/fleet/jobs'
import { ota, unwrap } from '../../ota'

interface PoliciesState {
  policies: PolicyView[]
  loaded: boolean
  error?: string
  load(): Promise<void>
  save(id: string | null, policy: PolicyInput): Promise<PolicyView>
  remove(id: string): Promise<void>
  /** Device models whose every job waits for approval; undefined until loaded. */
  modelApprovals?: ModelApproval[]
  modelApprovalError?: string
  loadModelApprovals(): Promise<void>
  setModelApproval(model: string, requireApproval: boolean): Promise<boolean>
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
  },
  async loadModelApprovals() {
    const r = await ota.models.approvals()
    set(r.ok ? { modelApprovals: r.value.models, modelApprovalError: undefined } : { modelApprovalError: r.error.message })
  },
  async setModelApproval(model, requireApproval) {
    const r = await ota.models.setApproval({ model, requireApproval })
    if (!r.ok) return (set({ modelApprovalError: r.error.message }), false)
    await get().loadModelApprovals()
    return true
  }
}))
