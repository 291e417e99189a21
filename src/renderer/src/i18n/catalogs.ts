import { auditMessages } from './audit'
import { bundlesMessages } from './bundles'
import { certificatesMessages } from './certificates'
import { campaignsMessages } from './campaigns'
import { diagnosticsMessages } from './diagnostics'
import { en } from './en'
import { firmwareMessages } from './firmware'
import { fleetMessages } from './fleet'
import { ja } from './ja'
import { releaseSetsMessages } from './release-sets'
import { sessionMessages } from './session'
import { workshopMessages } from './workshop'

/** Every catalog: the common strings and each feature's. A key belongs to exactly one of them. */
export const sources = [
  { en, ja },
  sessionMessages,
  fleetMessages,
  firmwareMessages,
  releaseSetsMessages,
  campaignsMessages,
  auditMessages,
  certificatesMessages,
  bundlesMessages,
  diagnosticsMessages,
  workshopMessages
] as const

type KeysOf<S> = S extends { en: infer E } ? keyof E : never
export type MessageKey = KeysOf<(typeof sources)[number]>
export type Locale = 'en' | 'ja'

export const catalogs = {
  en: Object.assign({}, ...sources.map((s) => s.en)),
  ja: Object.assign({}, ...sources.map((s) => s.ja))
} as Record<Locale, Record<MessageKey, string>>
