import { useEffect, useId, useRef, useState } from 'react'
import { RevocationReason, type CertificateHolderKind } from '../../../../shared/fleet/certificates'
import { useT, type MessageKey } from '../../i18n'

/** Reasons an operator picks from; superseded is what renewal itself records. */
const REASONS = RevocationReason.options.filter((r) => r !== 'superseded')

/**
 * Revoking names its effect, asks for an RFC 5280 reason and a comment for the audit log; Escape
 * cancels, focus starts on the reason. A refusal from the backend stays in the dialog.
 */
export function RevokeDialog({
  holder,
  holderKind,
  onRevoke,
  onCancel
}: {
  holder: string
  holderKind: CertificateHolderKind
  onRevoke(reason: RevocationReason, comment: string): Promise<string | undefined>
  onCancel(): void
}) {
  const t = useT()
  const dialog = useRef<HTMLDialogElement>(null)
  const id = useId()
  const [reason, setReason] = useState<RevocationReason>('keyCompromise')
  const [comment, setComment] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  const submit = async (e: React.FormEvent) => {
    e.preventDefault()
    setBusy(true)
    const failed = await onRevoke(reason, comment)
    setBusy(false)
    setError(failed)
  }
  return (
    <dialog ref={dialog} aria-labelledby={`${id}-title`} aria-describedby={`${id}-effect`} onCancel={onCancel} className="dialog cert-revoke">
      <form onSubmit={(e) => void submit(e)}>
        <h2 id={`${id}-title`}>{t('certRevokeTitle', { holder })}</h2>
        <p id={`${id}-effect`}>{t(holderKind === 'workshop' ? 'certRevokeEffectWorkshop' : 'certRevokeEffect')}</p>
        <div className="field">
          <label htmlFor={`${id}-reason`}>{t('certRevokeReason')}</label>
          <select id={`${id}-reason`} value={reason} autoFocus onChange={(e) => setReason(e.target.value as RevocationReason)}>
            {REASONS.map((r) => (
              <option key={r} value={r}>
                {t(`certReason_${r}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-comment`}>{t('certRevokeComment')}</label>
          <textarea id={`${id}-comment`} value={comment} maxLength={500} rows={3} onChange={(e) => setComment(e.target.value)} />
        </div>
        {error && (
          <p role="alert" className="banner error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button type="submit" className="danger" disabled={busy}>
            {t('certRevokeConfirm')}
          </button>
        </div>
      </form>
    </dialog>
  )
}
