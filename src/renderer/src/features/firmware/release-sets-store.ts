import { create } from 'zustand'
import type { CreateReleaseSet, DeploymentView, ReleaseSetView } from '../../../../shared/fleet/release-sets'
import type { z } from 'zod'
import type { VehicleCompatibility } from '../../../../shared/fleet/release-sets'
import { ota, unwrap } from '../../ota'

type Verdict = z.infer<typeof VehicleCompatibility>

interface ReleaseSetsState {
  sets?: ReleaseSetView[]
  error?: string
  /** The set whose vehicles and deployments are shown. */
  open?: { set: ReleaseSetView; verdicts?: Verdict[]; deployments?: DeploymentView[]; error?: string }
  busy?: 'deploy' | 'create'
  load(): Promise<void>
  create(input: CreateReleaseSet): Promise<ReleaseSetView>
  show(set: ReleaseSetView): Promise<void>
  refresh(): Promise<void>
  deploy(vins: string[]): Promise<void>
}

/** Release sets: the list, the one open with each vehicle's verdict, and its deployments. */
export const useReleaseSets = create<ReleaseSetsState>()((set, get) => ({
  async load() {
    const r = await ota.releaseSets.list()
    set(r.ok ? { sets: r.value.sets, error: undefined } : { error: r.error.message })
  },

  async create(input) {
    set({ busy: 'create' })
    try {
      const made = await unwrap(ota.releaseSets.create(input))
      await get().load()
      return made
    } finally {
      set({ busy: undefined })
    }
  },

  async show(s) {
    set({ open: { set: s } })
    await get().refresh()
  },

  async refresh() {
    const open = get().open
    if (!open) return
    const [verdicts, deployments] = await Promise.all([ota.releaseSets.compatibility({ id: open.set.id }), ota.releaseSets.deployments({ id: open.set.id })])
    // The user may have opened another set meanwhile: this answer is for the one asked about.
    if (get().open?.set.id !== open.set.id) return
    const error = !verdicts.ok ? verdicts.error.message : !deployments.ok ? deployments.error.message : undefined
    set({
      open: {
        set: open.set,
        verdicts: verdicts.ok ? verdicts.value.vehicles : open.verdicts,
        deployments: deployments.ok ? deployments.value.deployments : open.deployments,
        error
      }
    })
  },

  async deploy(vins) {
    const open = get().open
    if (!open) return
    set({ busy: 'deploy' })
    try {
      const r = await ota.releaseSets.deploy({ id: open.set.id, vins })
      if (!r.ok) return set({ open: { ...open, error: r.error.message } })
      await get().refresh()
    } finally {
      set({ busy: undefined })
    }
  }
}))
