import { useEffect } from 'react'
import { resolveLocale, useT } from '../i18n'
import { useApp } from '../store/app'
import { useProfiles } from '../store/profiles'
import { useSettings } from '../store/settings'
import type { Screen } from '../store/app'
import { useSession } from '../store/session'
import { AuditScreen } from '../features/audit/AuditScreen'
import { BundlesScreen } from '../features/bundles/BundlesScreen'
import { CertificatesScreen } from '../features/certificates/CertificatesScreen'
import { JobsScreen } from '../features/campaigns/JobsScreen'
import { DiagnosticsScreen } from '../features/diagnostics/DiagnosticsScreen'
import { PoliciesScreen } from '../features/campaigns/PoliciesScreen'
import { FirmwareScreen } from '../features/firmware/FirmwareScreen'
import { FleetScreen } from '../features/fleet/FleetScreen'
import { WorkshopScreen } from '../features/workshop/WorkshopScreen'
import { ConnectionsScreen } from './ConnectionsScreen'
import { SessionBar } from './SessionBar'
import { SettingsScreen } from './SettingsScreen'
import { Sidebar } from './Sidebar'
import { useFields } from '../store/fields'

const SCREENS: Record<Screen, () => React.JSX.Element> = {
  fleet: FleetScreen,
  firmware: FirmwareScreen,
  policies: PoliciesScreen,
  jobs: JobsScreen,
  audit: AuditScreen,
  certificates: CertificatesScreen,
  bundles: BundlesScreen,
  diagnostics: DiagnosticsScreen,
  workshop: WorkshopScreen,
  connections: ConnectionsScreen,
  settings: SettingsScreen
}

function useDocumentPreferences() {
  const { theme, language } = useSettings((s) => s.settings)
  useEffect(() => {
    const root = document.documentElement
    root.lang = resolveLocale(language)
    const media = window.matchMedia('(prefers-color-scheme: dark)')
    const apply = () => (root.dataset.theme = theme === 'system' ? (media.matches ? 'dark' : 'light') : theme)
    apply()
    media.addEventListener('change', apply)
    return () => media.removeEventListener('change', apply)
  }, [theme, language])
}

export function App() {
  const t = useT()
  const { status, fatal, screen, loadStatus } = useFields(useApp, 'status', 'fatal', 'screen', 'loadStatus')
  useDocumentPreferences()

  useEffect(() => {
    void loadStatus()
    void useSettings.getState().load()
    void useProfiles.getState().load()
    void useSession.getState().load()
  }, [loadStatus])

  const storeError = fatal ?? (status && !status.store.ok ? status.store.message : undefined)
  if (storeError) {
    return (
      <main className="fatal" role="alert">
        <h1>{t('storeFailed')}</h1>
        <p>{t('storeFailedHint')}</p>
        <pre>{storeError}</pre>
      </main>
    )
  }
  return (
    <div className="shell">
      <Sidebar />
      <main className="content">
        {status && !status.keychain.available && (
          <p className="banner warning" role="alert">
            {t('keychainMissing', { detail: status.keychain.message })}
          </p>
        )}
        <SessionBar />
        <Current screen={screen} />
      </main>
    </div>
  )
}

function Current({ screen }: { screen: Screen }) {
  const View = SCREENS[screen]
  return <View />
}
