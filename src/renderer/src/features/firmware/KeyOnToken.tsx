import { useId, useState, type FormEvent } from 'react'
import type { SigningStatus } from '../../../../shared/calls/firmware'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { useFirmware } from './firmware-store'

export type KeyMessage = { tone: 'ok' | 'error'; text: string }

/**
 * Where the release key is: this computer's keychain, or a PKCS#11 token (a smart card) that
 * makes every signature itself. Choosing a token checks it with a test signature first.
 */
export function KeyOnToken({ status, onMessage }: { status: SigningStatus; onMessage(message: KeyMessage): void }) {
  const t = useT()
  const ids = { module: useId(), token: useId(), label: useId(), pin: useId() }
  const [form, setForm] = useState({ module: '', token: '', label: 'ota-release-key', pin: '' })
  const [busy, setBusy] = useState(false)
  const { location } = status
  const field = (name: keyof typeof form) => ({ value: form[name], onChange: (e: { target: { value: string } }) => setForm((f) => ({ ...f, [name]: e.target.value })) })

  const answered = (r: Awaited<ReturnType<typeof ota.signing.status>>, ok: (s: SigningStatus) => string) => {
    if (!r.ok) return onMessage({ tone: 'error', text: r.error.message })
    useFirmware.setState({ signing: r.value, signingError: undefined, signingAt: Date.now() })
    onMessage({ tone: 'ok', text: ok(r.value) })
  }

  const chooseToken = async (e: FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const r = await ota.signing.useToken(form)
    setBusy(false)
    if (r.ok) setForm((f) => ({ ...f, pin: '' }))
    answered(r, (s) => t('fwTokenChosen', { keyid: s.key?.keyid.slice(0, 12) ?? '', token: form.token }))
  }

  const chooseKeychain = async () => {
    setBusy(true)
    const r = await ota.signing.useKeychain()
    setBusy(false)
    answered(r, () => t('fwKeychainChosen'))
  }

  if (location.kind === 'token') {
    return (
      <div className="fw-token">
        <dl className="facts">
          <dt>{t('fwTokenModule')}</dt>
          <dd className="fw-mono">{location.module}</dd>
        </dl>
        <p className="hint">{t('fwTokenNoBackup')}</p>
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void chooseKeychain()}>
            {t('fwUseKeychain')}
          </button>
        </div>
      </div>
    )
  }
  const incomplete = !form.module.trim() || !form.token.trim() || !form.label.trim() || !form.pin
  return (
    <form onSubmit={(e) => void chooseToken(e)} className="fw-form" aria-label={t('fwTokenTitle')}>
      <h3>{t('fwTokenTitle')}</h3>
      <p className="hint">{t('fwTokenExplained')}</p>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.module}>{t('fwTokenModule')}</label>
          <input id={ids.module} placeholder="/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so" spellCheck={false} {...field('module')} />
        </div>
        <div className="field">
          <label htmlFor={ids.token}>{t('fwTokenLabel')}</label>
          <input id={ids.token} spellCheck={false} {...field('token')} />
        </div>
      </div>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.label}>{t('fwTokenKeyLabel')}</label>
          <input id={ids.label} spellCheck={false} {...field('label')} />
        </div>
        <div className="field">
          <label htmlFor={ids.pin}>{t('fwTokenPin')}</label>
          <input id={ids.pin} type="password" autoComplete="off" {...field('pin')} />
        </div>
      </div>
      <div className="actions">
        <button type="submit" disabled={incomplete || busy}>
          {busy ? t('fwTokenChecking') : t('fwUseToken')}
        </button>
      </div>
    </form>
  )
}
