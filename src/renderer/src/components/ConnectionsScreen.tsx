import { useT } from '../i18n'
import { profileSelectors, useProfiles } from '../store/profiles'
import { SANDBOX_PROFILE_ID } from '../../../shared/sandbox'
import { ProfileEditor } from './ProfileEditor'
import { SandboxPanel } from './SandboxPanel'
import { useFields } from '../store/fields'

export function ConnectionsScreen() {
  const t = useT()
  const { selection, loaded, error } = useFields(useProfiles, 'selection', 'loaded', 'error')
  const selected = useProfiles(profileSelectors.selected)
  if (error)
    return (
      <p role="alert" className="banner error">
        {error}
      </p>
    )
  if (!loaded) return <p aria-busy="true">{t('loading')}</p>
  if (selection.kind === 'new') return <ProfileEditor key="new" />
  if (selected?.id === SANDBOX_PROFILE_ID) return <SandboxPanel />
  if (selected) return <ProfileEditor key={selected.id} profile={selected} />
  return (
    <section className="panel empty-state">
      <h1>{t('profiles')}</h1>
      <p>{t('noProfiles')}</p>
    </section>
  )
}
