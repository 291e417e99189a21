import { formatsFor, type Formats } from '../../../shared/format'
import type { Settings } from '../../../shared/settings'
import { useSettings } from '../store/settings'
import { catalogs, type Locale, type MessageKey } from './catalogs'
import { fillMessage, type MessageVars } from './message'

export type { Locale, MessageKey, MessageVars }

/** "system" follows the OS language, as Electron and the browser report it. */
export const resolveLocale = (language: Settings['language'], preferred: readonly string[] = navigator.languages): Locale =>
  language !== 'system' ? language : preferred.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en'

export const translate = (locale: Locale, key: MessageKey, vars: MessageVars = {}) => fillMessage(locale, catalogs[locale][key] ?? catalogs.en[key] ?? key, vars)

export const useLocale = () => useSettings((s) => resolveLocale(s.settings.language))

export function useT() {
  const locale = useLocale()
  return (key: MessageKey, vars?: MessageVars) => translate(locale, key, vars)
}

/** Numbers, sizes, dates and times in the language chosen in Settings, never the browser's own. */
export const useFormat = (): Formats => formatsFor(useLocale())
