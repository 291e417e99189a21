import type { Settings } from '../../../shared/settings'
import { useSettings } from '../store/settings'
import { en, type MessageKey } from './en'
import { ja } from './ja'

export type { MessageKey }
export type Locale = 'en' | 'ja'
const catalogs: Record<Locale, Record<MessageKey, string>> = { en, ja }

/** "system" follows the OS language, as Electron and the browser report it. */
export const resolveLocale = (language: Settings['language'], preferred: readonly string[] = navigator.languages): Locale =>
  language !== 'system' ? language : preferred.some((l) => l.toLowerCase().startsWith('ja')) ? 'ja' : 'en'

export const translate = (locale: Locale, key: MessageKey, vars: Record<string, string> = {}) =>
  catalogs[locale][key].replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '')

export function useT() {
  const locale = useSettings((s) => resolveLocale(s.settings.language))
  return (key: MessageKey, vars?: Record<string, string>) => translate(locale, key, vars)
}
