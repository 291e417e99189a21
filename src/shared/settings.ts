import { z } from 'zod'

export const Theme = z.enum(['system', 'light', 'dark'])
export const Language = z.enum(['system', 'en', 'ja'])

export const Settings = z.object({ theme: Theme, language: Language })
export type Settings = z.infer<typeof Settings>
export const SettingsPatch = Settings.partial().strict()

export const DEFAULT_SETTINGS: Settings = { theme: 'system', language: 'system' }

export const AppStatus = z.object({
  version: z.string(),
  dataDir: z.string(),
  store: z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), schemaVersion: z.number() }), z.object({ ok: z.literal(false), message: z.string() })]),
  keychain: z.discriminatedUnion('available', [z.object({ available: z.literal(true) }), z.object({ available: z.literal(false), message: z.string() })])
})
export type AppStatus = z.infer<typeof AppStatus>
