import { useId, useState, type FormEvent } from 'react'
import type { SigningStatus } from '../../../../shared/calls/firmware'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { useFirmware } from './firmware-store'
import { saveFile } from '../../components/save-file'
import { KeyOnToken, type KeyMessage as Message } from './KeyOnToken'

const MIN_PASSPHRASE = 12

/**
 * The release key: where it is (keychain or token), its public half to hand out, and an
 * encrypted backup of the private half when the keychain holds it. The private key never
 * reaches this page in plain text; the backup arrives already encrypted.
 */
export function KeyBackup({ status }: { status: SigningStatus }) {
  const t = useT()
  const [message, setMessage] = useState<Message>()
  const keyid = status.key?.keyid

  const exportPublic = async () => {
    const r = await ota.signing.exportPublicKey()
    if (!r.ok) return setMessage({ tone: 'error', text: r.error.message })
    saveFile([r.value.pem], `release-key-${r.value.keyid.slice(0, 8)}.pub.pem`, 'application/x-pem-file')
    void useFirmware.getState().loadSigning()
  }

  return (
    <details className="fw-key">
      <summary>{t('fwKeyTitle')}</summary>
      <dl className="facts">
        <dt>{t('fwKeyWhere')}</dt>
        <dd>{status.location.kind === 'token' ? t('fwKeyOnToken', { label: status.location.label, token: status.location.token }) : t('fwKeyInKeychain')}</dd>
        <dt>{t('fwKeyId')}</dt>
        <dd className="fw-mono">{keyid ?? t('fwNoKeyYet')}</dd>
        {status.key && (
          <>
            <dt>{t('fwPublicKey')}</dt>
            <dd className="fw-mono">{status.key.publicKey.keyval.public}</dd>
          </>
        )}
      </dl>
      <div className="actions">
        <button type="button" onClick={() => void exportPublic()}>
          {t('fwExportPublic')}
        </button>
      </div>
      {status.location.kind === 'keychain' && <KeychainBackup setMessage={setMessage} />}
      <KeyOnToken status={status} onMessage={setMessage} />
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={`banner ${message.tone}`}>
          {message.text}
        </p>
      )}
    </details>
  )
}

/** A backup of the keychain's key, and a restore into the keychain: a token's key has neither. */
function KeychainBackup({ setMessage }: { setMessage(message: Message): void }) {
  const t = useT()
  const ids = { pass: useId(), again: useId(), file: useId(), restorePass: useId() }
  const [passphrase, setPassphrase] = useState('')
  const [again, setAgain] = useState('')
  const [restore, setRestore] = useState<{ pem?: string; fileName?: string; passphrase: string; replace: boolean }>({ passphrase: '', replace: false })

  const problem = passphrase.length < MIN_PASSPHRASE ? t('fwPassphraseShort', { n: MIN_PASSPHRASE }) : passphrase !== again ? t('fwPassphraseMismatch') : undefined

  const backup = async (e: FormEvent) => {
    e.preventDefault()
    if (problem) return
    const r = await ota.signing.exportBackup({ passphrase })
    if (!r.ok) return setMessage({ tone: 'error', text: r.error.message })
    saveFile([r.value.pem], `release-key-${r.value.keyid.slice(0, 8)}.backup.pem`, 'application/x-pem-file')
    setPassphrase('')
    setAgain('')
    setMessage({ tone: 'ok', text: t('fwBackupSaved') })
    void useFirmware.getState().loadSigning()
  }

  const restoreKey = async (e: FormEvent) => {
    e.preventDefault()
    if (!restore.pem) return
    const r = await ota.signing.importBackup({ pem: restore.pem, passphrase: restore.passphrase, replace: restore.replace })
    if (!r.ok) return setMessage({ tone: 'error', text: r.error.message })
    setRestore({ passphrase: '', replace: false })
    useFirmware.setState({ signing: r.value })
    setMessage({ tone: 'ok', text: t('fwRestored', { keyid: r.value.key?.keyid.slice(0, 12) ?? '' }) })
  }

  return (
    <>
      <p className="hint">{t('fwBackupExplained')}</p>
      <form onSubmit={(e) => void backup(e)} className="fw-form" aria-label={t('fwBackupTitle')}>
        <div className="row">
          <div className="field">
            <label htmlFor={ids.pass}>{t('fwPassphrase')}</label>
            <input id={ids.pass} type="password" autoComplete="new-password" value={passphrase} onChange={(e) => setPassphrase(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={ids.again}>{t('fwPassphraseAgain')}</label>
            <input id={ids.again} type="password" autoComplete="new-password" value={again} onChange={(e) => setAgain(e.target.value)} />
          </div>
        </div>
        {passphrase && problem && <p className="fw-error">{problem}</p>}
        <button type="submit" disabled={!!problem}>
          {t('fwSaveBackup')}
        </button>
      </form>
      <form onSubmit={(e) => void restoreKey(e)} className="fw-form" aria-label={t('fwRestoreTitle')}>
        <h3>{t('fwRestoreTitle')}</h3>
        <p className="hint">{t('fwRestoreExplained')}</p>
        <div className="row">
          <div className="field">
            <label htmlFor={ids.file}>{t('fwBackupFile')}</label>
            <input
              id={ids.file}
              type="file"
              accept=".pem,.key,text/plain"
              onChange={async (e) => {
                const file = e.target.files?.[0]
                setRestore((r) => ({ ...r, pem: undefined, fileName: file?.name }))
                if (file) {
                  const pem = await file.text()
                  setRestore((r) => ({ ...r, pem }))
                }
              }}
            />
          </div>
          <div className="field">
            <label htmlFor={ids.restorePass}>{t('fwPassphrase')}</label>
            <input id={ids.restorePass} type="password" autoComplete="off" value={restore.passphrase} onChange={(e) => setRestore((r) => ({ ...r, passphrase: e.target.value }))} />
          </div>
        </div>
        <label className="inline">
          <input type="checkbox" checked={restore.replace} onChange={(e) => setRestore((r) => ({ ...r, replace: e.target.checked }))} />
          {t('fwReplaceKey')}
        </label>
        <div className="actions">
          <button type="submit" disabled={!restore.pem || !restore.passphrase}>
            {t('fwRestore')}
          </button>
        </div>
      </form>
    </>
  )
}
