import { useId, useState, type FormEvent } from 'react'
import type { ConnectionTestResult, ProfileView, SecretName } from '../../../shared/profile'
import { useT } from '../i18n'
import { ota } from '../ota'
import { useProfiles } from '../store/profiles'
import { ConfirmDialog } from './ConfirmDialog'
import { PemField } from './PemField'
import { initialForm, toDraft, type FormState } from './profile-form-state'
import { SecretField } from './SecretField'
import { TestResults } from './TestResults'
import { useFields } from '../store/fields'
import { SECURITY_PROFILES } from '../../../shared/security-profiles'

type Busy = 'save' | 'test' | 'duplicate' | 'delete' | undefined

export function ProfileEditor({ profile }: { profile?: ProfileView }) {
  const t = useT()
  const ids = { name: useId(), backend: useId(), mqtt: useId(), username: useId(), auth: useId(), tlsMinimum: useId(), tlsMinimumHint: useId() }
  const [form, setForm] = useState<FormState>(() => initialForm(profile))
  const [busy, setBusy] = useState<Busy>()
  const [error, setError] = useState<string>()
  const [notice, setNotice] = useState(() => (profile && useProfiles.getState().createdId === profile.id ? t('saved') : undefined))
  const [test, setTest] = useState<ConnectionTestResult>()
  const [confirmDelete, setConfirmDelete] = useState(false)
  const { select } = useFields(useProfiles, 'select')

  const field =
    <K extends keyof FormState>(key: K) =>
    (value: FormState[K]) =>
      setForm((f) => ({ ...f, [key]: value }))
  const secret = (name: SecretName) => ({
    value: form.secrets[name],
    removing: form.remove[name],
    onChange: (v: string) => setForm((f) => ({ ...f, secrets: { ...f.secrets, [name]: v } })),
    onRemove: (r: boolean) => setForm((f) => ({ ...f, remove: { ...f.remove, [name]: r } }))
  })

  const run = async (what: Busy, action: () => Promise<void>) => {
    setBusy(what)
    setError(undefined)
    setNotice(undefined)
    try {
      await action()
    } finally {
      setBusy(undefined)
    }
  }

  const save = (e: FormEvent) => {
    e.preventDefault()
    void run('save', async () => {
      const draft = toDraft(form)
      const result = profile ? await ota.profiles.update({ id: profile.id, changes: draft }) : await ota.profiles.create(draft)
      if (!result.ok) return setError(result.error.message)
      // The secrets are in the keychain now; drop them from the page.
      setForm(initialForm(result.value))
      setNotice(t('saved'))
      if (!profile) await select(result.value.id, true)
    })
  }

  const testConnection = () =>
    run('test', async () => {
      if (!profile) return setError(t('saveFirst'))
      setTest(undefined)
      const result = await ota.profiles.testConnection({ id: profile.id })
      if (result.ok) setTest(result.value)
      else setError(result.error.message)
    })

  const duplicate = () =>
    run('duplicate', async () => {
      if (!profile) return
      const result = await ota.profiles.duplicate({ id: profile.id })
      if (result.ok) await select(result.value.id)
      else setError(result.error.message)
    })

  const remove = () =>
    run('delete', async () => {
      if (!profile) return
      setConfirmDelete(false)
      const result = await ota.profiles.delete({ id: profile.id })
      if (!result.ok) setError(result.error.message)
    })

  return (
    <section className="panel" aria-labelledby="editor-heading">
      <h1 id="editor-heading">{profile ? profile.name : t('createProfile')}</h1>
      <form onSubmit={save} noValidate aria-labelledby="editor-heading">
        <div className="field">
          <label htmlFor={ids.name}>{t('name')}</label>
          <input id={ids.name} value={form.name} maxLength={100} required onChange={(e) => field('name')(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={ids.backend}>{t('backendUrl')}</label>
          <input id={ids.backend} type="url" value={form.backendUrl} required aria-describedby={`${ids.backend}-hint`} onChange={(e) => field('backendUrl')(e.target.value)} />
          <small id={`${ids.backend}-hint`} className="hint">
            {t('backendUrlHint')}
          </small>
        </div>
        <div className="field">
          <label htmlFor={ids.mqtt}>{t('mqttUrl')}</label>
          <input id={ids.mqtt} value={form.mqttUrl} required aria-describedby={`${ids.mqtt}-hint`} onChange={(e) => field('mqttUrl')(e.target.value)} />
          <small id={`${ids.mqtt}-hint`} className="hint">
            {t('mqttUrlHint')}
          </small>
        </div>
        <div className="row">
          <div className="field">
            <label htmlFor={ids.username}>{t('username')}</label>
            <input id={ids.username} value={form.username} autoComplete="off" onChange={(e) => field('username')(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.auth}>{t('authKind')}</label>
            <select id={ids.auth} value={form.authKind} onChange={(e) => field('authKind')(e.target.value as FormState['authKind'])}>
              <option value="password">{t('authPassword')}</option>
              <option value="token">{t('authToken')}</option>
            </select>
          </div>
        </div>
        <SecretField label={form.authKind === 'token' ? t('apiToken') : t('password')} saved={profile?.hasPassword ?? false} {...secret('password')} />
        <PemField label={t('caCert')} hint={t('caCertHint')} value={form.caCertPem} onChange={field('caCertPem')} />
        <div className="field">
          <label htmlFor={ids.tlsMinimum}>{t('tlsMinimum')}</label>
          <select id={ids.tlsMinimum} aria-describedby={ids.tlsMinimumHint} value={form.tlsMinimum} onChange={(e) => field('tlsMinimum')(e.target.value)}>
            <option value="any">{t('tlsMinimumAny')}</option>
            <option value="quantum-safe">{t('tlsMinimumQuantumSafe')}</option>
            {SECURITY_PROFILES.map((p) => (
              <option key={p.id} value={String(p.id)}>
                {t('securityProfileOption', { id: p.id, kem: p.kem, signature: p.signature })}
              </option>
            ))}
          </select>
          <small id={ids.tlsMinimumHint} className="hint">
            {t('tlsMinimumHint')}
          </small>
        </div>
        <details open={Boolean(profile?.clientCertPem)}>
          <summary>mTLS</summary>
          <PemField label={t('clientCert')} value={form.clientCertPem} onChange={field('clientCertPem')} />
          <SecretField label={t('clientKey')} multiline hint={t('clientKeyHint')} saved={profile?.hasClientKey ?? false} {...secret('clientKeyPem')} />
          <SecretField label={t('keyPassphrase')} saved={profile?.hasKeyPassphrase ?? false} {...secret('keyPassphrase')} />
        </details>
        {error && (
          <p role="alert" className="banner error">
            {t('errorPrefix')}: {error}
          </p>
        )}
        {notice && (
          <p role="status" className="banner ok">
            {notice}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy !== undefined}>
            {t('save')}
          </button>
          <button type="button" onClick={testConnection} disabled={busy !== undefined || !profile} aria-busy={busy === 'test'}>
            {busy === 'test' ? t('testing') : t('testConnection')}
          </button>
          {profile && (
            <>
              <button type="button" onClick={duplicate} disabled={busy !== undefined}>
                {t('duplicate')}
              </button>
              <button type="button" className="danger" onClick={() => setConfirmDelete(true)} disabled={busy !== undefined}>
                {t('delete')}
              </button>
            </>
          )}
        </div>
      </form>
      {test && <TestResults result={test} />}
      {profile && confirmDelete && (
        <ConfirmDialog message={t('deleteConfirm', { name: profile.name })} confirmLabel={t('deleteConfirmButton')} onConfirm={remove} onCancel={() => setConfirmDelete(false)} />
      )}
    </section>
  )
}
