import { create } from 'zustand'
import type { ReleaseChange, ReleaseList, SigningStatus } from '../../../../shared/calls/firmware'
import { STABLE, type CreateRelease, type ReleaseView } from '../../../../shared/fleet/catalog'
import { ota, unwrap } from '../../ota'

/** publish and withdraw change what vehicles may install (and are signed); promote puts a release on stable. */
export type ChangeAction = 'publish' | 'withdraw' | 'promote'

/** What the last publish or withdraw did, for the banner that reports it. */
export type LastChange = { action: ChangeAction; release: ReleaseView; outcome: ReleaseChange } | { action: ChangeAction; release: ReleaseView; error: string }

interface FirmwareState {
  list?: ReleaseList
  listError?: string
  signing?: SigningStatus
  signingError?: string
  /** When the signing status was read: the clock its expiry is judged by. */
  signingAt?: number
  lastChange?: LastChange
  /** The release made last from an upload, until something else happens. */
  lastCreated?: ReleaseView
  /** Which action is running, so its button can say so and not run twice. */
  busy?: string
  load(): Promise<void>
  loadSigning(): Promise<void>
  create(release: CreateRelease): Promise<ReleaseView>
  change(release: ReleaseView, action: ChangeAction): Promise<void>
  register(): Promise<void>
  sign(fingerprint: string): Promise<void>
}

export const useFirmware = create<FirmwareState>()((set, get) => {
  const running = async (busy: string, work: () => Promise<void>) => {
    set({ busy })
    try {
      await work()
    } finally {
      set({ busy: undefined })
    }
  }
  const signingCall = async (busy: string, call: () => ReturnType<typeof ota.signing.status>) =>
    running(busy, async () => {
      const r = await call()
      set(r.ok ? { signing: r.value, signingError: undefined, signingAt: Date.now() } : { signingError: r.error.message })
    })

  return {
    async load() {
      const [list] = await Promise.all([ota.releases.list(), get().loadSigning()])
      set(list.ok ? { list: list.value, listError: undefined } : { listError: list.error.message })
    },
    loadSigning: () => signingCall('status', () => ota.signing.status()),

    async create(release) {
      const created = await unwrap(ota.releases.create(release))
      await get().load()
      return created
    },

    change: (release, action) =>
      running(`${action}:${release.id}`, async () => {
        const r =
          action === 'promote'
            ? await ota.releases
                .promote({ id: release.id, channel: STABLE })
                .then((p) => (p.ok ? { ok: true as const, value: { release: p.value, signed: 'backend' as const, message: null } } : p))
            : await ota.releases[action]({ id: release.id })
        set({ lastCreated: undefined, lastChange: r.ok ? { action, release, outcome: r.value } : { action, release, error: r.error.message } })
        await get().load()
      }),

    register: () => signingCall('register', () => ota.signing.register()),
    sign: (fingerprint) => signingCall('sign', () => ota.signing.sign({ fingerprint }))
  }
})
