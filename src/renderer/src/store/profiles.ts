import { create } from 'zustand'
import type { ProfileList, ProfileView } from '../../../shared/profile'
import { ota } from '../ota'

/** Which profile the editor shows: an existing one, a new draft, or nothing. */
export type Selection = { kind: 'profile'; id: string } | { kind: 'new' } | { kind: 'none' }

interface ProfilesState extends ProfileList {
  loaded: boolean
  error?: string
  selection: Selection
  /** The profile just created, so its editor can say "Saved" after replacing the draft's. */
  createdId?: string
  load(): Promise<void>
  select(id: string, created?: boolean): Promise<void>
  startNew(): void
  apply(list: ProfileList): void
}

export const useProfiles = create<ProfilesState>()((set, get) => ({
  profiles: [],
  activeId: null,
  loaded: false,
  selection: { kind: 'none' },
  async load() {
    const result = await ota.profiles.list()
    if (!result.ok) return set({ error: result.error.message, loaded: true })
    get().apply(result.value)
    const { activeId, selection } = get()
    if (selection.kind === 'none' && activeId) set({ selection: { kind: 'profile', id: activeId } })
  },
  async select(id, created = false) {
    set({ selection: { kind: 'profile', id }, createdId: created ? id : undefined })
    await ota.profiles.setActive({ id })
  },
  startNew: () => set({ selection: { kind: 'new' } }),
  apply(list) {
    const { selection } = get()
    const stillThere = selection.kind !== 'profile' || list.profiles.some((p) => p.id === selection.id)
    set({ ...list, loaded: true, error: undefined, selection: stillThere ? selection : { kind: 'none' } })
  }
}))

export const profileSelectors = {
  selected: (s: ProfilesState): ProfileView | undefined => {
    const sel = s.selection
    return sel.kind === 'profile' ? s.profiles.find((p) => p.id === sel.id) : undefined
  }
}

ota.on('profiles.changed', (list) => useProfiles.getState().apply(list))
