import { useT } from '../i18n'
import { useApp, type Screen } from '../store/app'
import { useProfiles } from '../store/profiles'
import { useFields } from '../store/fields'

export function Sidebar() {
  const t = useT()
  const { screen, show } = useFields(useApp, 'screen', 'show')
  const { profiles, activeId, selection, loaded, select, startNew } = useFields(useProfiles, 'profiles', 'activeId', 'selection', 'loaded', 'select', 'startNew')
  const navItems: [Screen, string][] = [
    ['fleet', t('navFleet')],
    ['firmware', t('navFirmware')],
    ['policies', t('navPolicies')],
    ['jobs', t('navJobs')],
    ['audit', t('navAudit')],
    ['certificates', t('navCertificates')],
    ['bundles', t('navBundles')],
    ['diagnostics', t('navDiagnostics')],
    ['workshop', t('navWorkshop')],
    ['connections', t('navConnections')],
    ['settings', t('navSettings')]
  ]
  return (
    <aside className="sidebar">
      <div className="brand">{t('appName')}</div>
      <nav aria-label={t('navMain')}>
        <ul>
          {navItems.map(([id, label]) => (
            <li key={id}>
              <button type="button" className="nav-item" aria-current={screen === id ? 'page' : undefined} onClick={() => show(id)}>
                {label}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <section className="profile-list" aria-labelledby="profiles-heading">
        <h2 id="profiles-heading">{t('profiles')}</h2>
        <button
          type="button"
          className="primary"
          onClick={() => {
            show('connections')
            startNew()
          }}
        >
          {t('newProfile')}
        </button>
        {loaded && profiles.length === 0 && <p className="empty">{t('noProfiles')}</p>}
        <ul aria-label={t('profiles')}>
          {profiles.map((p) => {
            const current = selection.kind === 'profile' && selection.id === p.id
            return (
              <li key={p.id}>
                <button
                  type="button"
                  className="profile-item"
                  aria-current={current ? 'true' : undefined}
                  onClick={() => {
                    show('connections')
                    void select(p.id)
                  }}
                >
                  <span>{p.name}</span>
                  {p.id === activeId && <span className="badge">{t('active')}</span>}
                </button>
              </li>
            )
          })}
        </ul>
      </section>
    </aside>
  )
}
