import { create } from 'zustand'
import type { BundleRelease, BundleVehicle } from '../../../../shared/bundle/manifest'
import type { DiagSessionView, UdsAnswerView } from '../../../../shared/calls/uds-session'
import type { DiagOperation } from '../../../../shared/calls/uds-operation'
import type { CallOutput } from '../../../../shared/contract'
import { ota } from '../../ota'
import { recordedNodes, scanNodes, type EcuNode, type EcuSource } from './ecu-list'

export interface EcuRow extends EcuNode {
  systemName: string | null
  hardware: string | null
  software: string | null
  /** Why it did not answer F195. */
  error: string | null
}

/** An imported bundle that holds the connected vehicle: what a workshop can flash from it. */
export interface BundleChoice {
  bundleId: string
  job: string
  expired: boolean
  expiresAt: string
  vehicle: BundleVehicle
  releases: BundleRelease[]
}

/** A request sent in this session and what came back (newest first on screen). */
export interface SentRequest {
  id: number
  target: number
  ecu: string | null
  operation: DiagOperation
  answer: UdsAnswerView | null
  error: string | null
}

type DiscoveredEntity = CallOutput<'diag.discover'>['vehicles'][number]
type Link = 'connected' | 'disconnected' | 'reconnecting' | 'closed'

interface WorkshopState {
  discovering: boolean
  found: DiscoveredEntity[] | null
  discoverError: string | null
  connecting: boolean
  connectError: string | null
  session: DiagSessionView | null
  /** host:port the session went to. */
  where: string | null
  link: Link
  linkDetail: string | null
  ecus: EcuRow[]
  ecuSource: EcuSource | null
  identifying: { done: number; total: number } | null
  bundles: BundleChoice[]
  sent: SentRequest[]
  sending: boolean
  discover(address: string, port: number): Promise<void>
  connect(host: string, port: number): Promise<void>
  disconnect(): Promise<void>
  identify(): Promise<void>
  send(target: number, operation: DiagOperation): Promise<void>
  updateSoftware(address: number, version: string): void
}

const readDid = (did: string): DiagOperation => ({ kind: 'readDids', dids: [did] })
const F195 = readDid('F195')
const F191 = readDid('F191')
const F197 = readDid('F197')

const textOf = (answer: UdsAnswerView) => {
  const value = answer.decoded.kind === 'positive' ? answer.decoded.dids?.[0]?.value : undefined
  return value === undefined || value === null ? null : String(value)
}

export const useWorkshop = create<WorkshopState>()((set, get) => {
  let requestId = 0

  /** What a DID reads on one ECU, or why not; `answered` tells a refusal (an ECU is there) from silence. */
  async function read(session: string, target: number, operation: DiagOperation): Promise<{ value: string | null; error: string | null; answered: boolean }> {
    const r = await ota.diag.request({ session, target, operation })
    if (!r.ok) return { value: null, error: r.error.message, answered: false }
    if (r.value.decoded.kind === 'negative')
      return { value: null, error: `${r.value.decoded.name} (NRC ${r.value.decoded.nrc.toString(16).toUpperCase().padStart(2, '0')})`, answered: true }
    return { value: textOf(r.value), error: null, answered: true }
  }

  /** Imported bundles that hold this VIN, with the releases for its model. */
  async function bundlesFor(vin: string): Promise<BundleChoice[]> {
    const list = await ota.bundles.list()
    if (!list.ok) return []
    const details = await Promise.all(list.value.bundles.map((b) => ota.bundles.get({ bundleId: b.id })))
    return details.flatMap((d) => {
      if (!d.ok) return []
      const vehicle = d.value.vehicles.find((v) => v.vin === vin)
      if (!vehicle) return []
      const { bundle } = d.value
      return [
        {
          bundleId: bundle.id,
          job: bundle.job.name,
          expired: bundle.expired,
          expiresAt: bundle.expiresAt,
          vehicle,
          releases: d.value.releases.filter((r) => r.model === vehicle.model)
        }
      ]
    })
  }

  ota.on('diag.state', ({ session, state, detail }) => {
    if (get().session?.session !== session) return
    if (state === 'closed') return set({ session: null, where: null, link: 'closed', linkDetail: null, ecus: [], ecuSource: null, bundles: [], sent: [] })
    set({ link: state, linkDetail: detail })
  })

  return {
    discovering: false,
    found: null,
    discoverError: null,
    connecting: false,
    connectError: null,
    session: null,
    where: null,
    link: 'closed',
    linkDetail: null,
    ecus: [],
    ecuSource: null,
    identifying: null,
    bundles: [],
    sent: [],
    sending: false,

    async discover(address, port) {
      set({ discovering: true, discoverError: null })
      const r = await ota.diag.discover({ ...(address.trim() ? { address: address.trim() } : {}), port })
      set(r.ok ? { discovering: false, found: r.value.vehicles } : { discovering: false, found: null, discoverError: r.error.message })
    },
    async connect(host, port) {
      const previous = get().session
      if (previous) await ota.diag.close({ session: previous.session })
      set({ connecting: true, connectError: null, session: null, ecus: [], sent: [], bundles: [], ecuSource: null })
      const r = await ota.diag.connect({ doip: { host, port } })
      if (!r.ok) return set({ connecting: false, connectError: r.error.message })
      set({ connecting: false, session: r.value, where: `${host}:${port}`, link: 'connected', linkDetail: null })
      await get().identify()
    },
    async disconnect() {
      const session = get().session
      if (!session) return
      await ota.diag.close({ session: session.session })
      set({ session: null, where: null, link: 'closed', ecus: [], ecuSource: null, bundles: [], sent: [] })
    },

    /** The vehicle's ECUs from its record (a bundle's, else the fleet's), or a scan; each asked for F195, F191 and F197. */
    async identify() {
      const view = get().session
      if (!view) return
      const gateway = view.entityAddress ?? 0x0e00
      const bundles = view.vin ? await bundlesFor(view.vin) : []
      const fleet = view.vin && bundles.length === 0 ? await ota.fleet.vehicle({ vin: view.vin }) : null
      const [source, nodes]: [EcuSource, EcuNode[]] =
        bundles.length > 0
          ? ['bundle', recordedNodes(gateway, bundles[0]!.vehicle)]
          : fleet?.ok
            ? ['fleet', recordedNodes(gateway, fleet.value.vehicle)]
            : ['scan', scanNodes(gateway)]
      set({ bundles, ecuSource: source, ecus: [], identifying: { done: 0, total: nodes.length } })
      const rows = await Promise.all(
        nodes.map(async (node): Promise<EcuRow | null> => {
          const software = await read(view.session, node.address, F195)
          const done = () => set({ identifying: { done: (get().identifying?.done ?? 0) + 1, total: nodes.length } })
          // A scanned address nobody answers is no ECU; a recorded ECU that is silent stays listed with why.
          if (!software.answered && source === 'scan' && node.ecu === null) {
            done()
            return null
          }
          const hardware = software.error ? { value: null } : await read(view.session, node.address, F191)
          const systemName = software.error ? { value: null } : await read(view.session, node.address, F197)
          done()
          return { ...node, software: software.value, hardware: hardware.value, systemName: systemName.value, error: software.error }
        })
      )
      if (get().session?.session !== view.session) return
      set({ ecus: rows.filter((r): r is EcuRow => r !== null), identifying: null })
    },

    async send(target, operation) {
      const view = get().session
      if (!view) return
      const id = ++requestId
      const ecu = get().ecus.find((e) => e.address === target)?.ecu ?? null
      set({ sending: true })
      const r = await ota.diag.request({ session: view.session, target, operation })
      const entry: SentRequest = { id, target, ecu, operation, answer: r.ok ? r.value : null, error: r.ok ? null : r.error.message }
      set({ sending: false, sent: [entry, ...get().sent].slice(0, 50) })
    },
    updateSoftware(address, version) {
      set({ ecus: get().ecus.map((e) => (e.address === address ? { ...e, software: version, error: null } : e)) })
    }
  }
})
