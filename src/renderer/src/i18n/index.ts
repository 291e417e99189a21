import type { Settings } from '../../../shared/settings'
import { useSettings } from '../store/settings'
import { auditMessages } from './audit'
import { campaignsMessages } from './campaigns'
import { en } from './en'
import { firmwareMessages } from './firmware'
import { fleetMessages } from './fleet'
import { ja } from './ja'
import { sessionMessages } from './session'

const features = [sessionMessages, fleetMessages, firmwareMessages, campaignsMessages, auditMessages] as const
const merge = (base: Record<string, string>, locale: 'en' | 'ja') => Object.assign({}, base, ...features.map((f) => f[locale]))

type FeatureKey = (typeof features)[number] extends infer F ? (F extends { en: infer E } ? keyof E : never) : never
export type MessageKey = keyof typeof en | FeatureKey
export type Locale = 'en' | 'ja'
const catalogs = { en: merge(en, 'en'), ja: merge(ja, 'ja') } as Record<Locale, Record<MessageKey, string>>

/** "system" follows the OS language, as Electron and the browser report it. */
export const resolveLocale = (language: Settings['language'], preferred: readonly string[] = navigator.languages): Locale =>
  language !== 'system' ? language : preferred.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en'

export const translate = (locale: Locale, key: MessageKey, vars: Record<string, string> = {}) =>
  catalogs[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '')

export function useT() {
  const locale = useSettings((s) => resolveLocale(s.settings.language))
  return (key: MessageKey, vars?: Record<string, string>) => translate(locale, key, vars)
}
