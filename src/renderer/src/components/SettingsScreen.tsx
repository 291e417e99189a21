import { useT } from '../i18n'
import { useApp } from '../store/app'
import { useSettings } from '../store/settings'
import type { Settings } from '../../../shared/settings'
import { useFields } from '../store/fields'

export function SettingsScreen() {
  const t = useT()
  const { settings, update } = useFields(useSettings, 'settings', 'update')
  const status = useApp((s) => s.status)
  return (
    <section aria-labelledby="settings-heading" className="panel">
      <h1 id="settings-heading">{t('settings')}</h1>
      <div className="field">
        <label htmlFor="theme">{t('theme')}</label>
        <select id="theme" value={settings.theme} onChange={(e) => void update({ theme: e.target.value as Settings['theme'] })}>
          <option value="system">{t('themeSystem')}</option>
          <option value="light">{t('themeLight')}</option>
          <option value="dark">{t('themeDark')}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="language">{t('language')}</label>
        <select id="language" value={settings.language} onChange={(e) => void update({ language: e.target.value as Settings['language'] })}>
          <option value="system">{t('languageSystem')}</option>
          <option value="en">English</option>
          <option value="ja">日本語</option>
        </select>
      </div>
      {status && (
        <dl className="facts">
          <dt>{t('dataDir')}</dt>
          <dd>{status.dataDir}</dd>
          <dt>{t('version')}</dt>
          <dd>{status.version}</dd>
        </dl>
      )}
    </section>
  )
}
