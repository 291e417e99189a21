import type { Settings } from '../../../shared/settings'
import { useSettings } from '../store/settings'
import { catalogs, type Locale, type MessageKey } from './catalogs'

export type { Locale, MessageKey }

/** "system" follows the OS language, as Electron and the browser report it. */
export const resolveLocale = (language: Settings['language'], preferred: readonly string[] = navigator.languages): Locale =>
  language !== 'system' ? language : preferred.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en'

export const translate = (locale: Locale, key: MessageKey, vars: Record<string, string> = {}) =>
  (catalogs[locale][key] ?? catalogs.en[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '')

export function useT() {
  const locale = useSettings((s) => resolveLocale(s.settings.language))
  return (key: MessageKey, vars?: Record<string, string>) => translate(locale, key, vars)
}
