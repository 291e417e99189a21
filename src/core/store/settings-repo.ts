import { DEFAULT_SETTINGS, Settings } from '../../shared/settings'
import type { Db } from './database'

export function createSettingsRepo(db: Db) {
  const select = db.prepare('SELECT key, value FROM settings')
  const upsert = db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
  const remove = db.prepare('DELETE FROM settings WHERE key = ?')
  const raw = () => Object.fromEntries((select.all() as { key: string; value: string }[]).map((r) => [r.key, JSON.parse(r.value)]))

  return {
    /** UI preferences; a value a newer or older version wrote falls back to its default. */
    preferences(): Settings {
      const stored = raw()
      const parsed = Settings.safeParse({ ...DEFAULT_SETTINGS, ...stored })
      return parsed.success ? parsed.data : DEFAULT_SETTINGS
    },
    get(key: string): unknown {
      return raw()[key]
    },
    set(key: string, value: unknown) {
      if (value === undefined || value === null) remove.run(key)
      else upsert.run(key, JSON.stringify(value))
    }
  }
}
export type SettingsRepo = ReturnType<typeof createSettingsRepo>
