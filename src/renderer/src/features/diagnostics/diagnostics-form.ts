import type { DiagOperation } from '../../../../shared/calls/uds-operation'
import { Vin } from '../../../../shared/fleet/device'
import { BUILTIN_DID_CATALOG, DTC_STATUS_MASK } from '../../../../shared/uds'

/** The service part of a request form: what the user picked and typed, before it is checked. */
export interface ServiceForm {
  kind: DiagOperation['kind']
  dids: string
  statusMask: number
  raw: string
}

export const DEFAULT_SERVICE: ServiceForm = { kind: 'readDids', dids: 'F190', statusMask: 0xff, raw: '' }

/** Status masks offered for 19 02, most inclusive first. */
export const STATUS_MASKS = [
  { mask: 0xff, key: 'dxMaskAny' },
  { mask: DTC_STATUS_MASK.confirmedDTC, key: 'dxMaskConfirmed' },
  { mask: DTC_STATUS_MASK.pendingDTC, key: 'dxMaskPending' },
  { mask: DTC_STATUS_MASK.testFailed, key: 'dxMaskTestFailed' },
  { mask: DTC_STATUS_MASK.warningIndicatorRequested, key: 'dxMaskWarning' }
] as const

/** The DIDs of the built-in catalog, for picking by name. */
export const CATALOG_DIDS = [...BUILTIN_DID_CATALOG.values()].map((d) => ({ did: d.id.toString(16).toUpperCase().padStart(4, '0'), name: d.name }))

const splitList = (text: string) => text.split(/[\s,;]+/).filter(Boolean)

export const didList = (text: string) => splitList(text).map((d) => d.replace(/^0x/i, '').toUpperCase())

/** Adds a DID to the list typed so far, or takes it out when it is there. */
export function toggleDid(text: string, did: string): string {
  const dids = didList(text)
  return (dids.includes(did) ? dids.filter((d) => d !== did) : [...dids, did]).join(' ')
}

export type FormProblem = 'dxNeedDids' | 'dxBadDid' | 'dxTooManyDids' | 'dxNeedHex' | 'dxBadHex'

/** The operation a form describes, or what is wrong with it (the key of the message that says so). */
export function serviceOperation(form: ServiceForm): { operation: DiagOperation } | { problem: FormProblem; detail?: string } {
  switch (form.kind) {
    case 'readDtcs':
      return { operation: { kind: 'readDtcs', statusMask: form.statusMask } }
    case 'readDids': {
      const dids = didList(form.dids)
      if (dids.length === 0) return { problem: 'dxNeedDids' }
      const bad = dids.find((d) => !/^[0-9A-F]{4}$/.test(d))
      if (bad) return { problem: 'dxBadDid', detail: bad }
      if (dids.length > 16) return { problem: 'dxTooManyDids' }
      return { operation: { kind: 'readDids', dids } }
    }
    case 'raw': {
      const hex = form.raw.replace(/\s+/g, '')
      if (!hex) return { problem: 'dxNeedHex' }
      if (!/^([0-9a-fA-F]{2})+$/.test(hex)) return { problem: 'dxBadHex' }
      return { operation: { kind: 'raw', uds: hex.toUpperCase() } }
    }
  }
}

/** VINs pasted in any layout (lines, commas, spaces), in order, each once, and the words that are no VIN. */
export function parseVins(text: string): { vins: string[]; invalid: string[] } {
  const vins: string[] = []
  const invalid: string[] = []
  for (const word of splitList(text.toUpperCase())) {
    if (!Vin.safeParse(word).success) invalid.push(word)
    else if (!vins.includes(word)) vins.push(word)
  }
  return { vins, invalid }
}

/** Bytes in hex pairs, as a diagnostician reads them: "22 F1 90". */
export const spacedHex = (hex: string) => hex.replace(/(..)(?=.)/g, '$1 ')
