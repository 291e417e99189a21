import { useEffect, useId, useRef } from 'react'
import { useT } from '../i18n'

/**
 * A modal confirmation that names the effect of what is about to happen; Escape cancels, focus
 * starts on the safe choice.
 */
export function ConfirmDialog({
  message,
  confirmLabel,
  onConfirm,
  onCancel,
  danger = true
}: {
  message: string
  confirmLabel: string
  onConfirm(): void
  onCancel(): void
  danger?: boolean
}) {
  const t = useT()
  const dialog = useRef<HTMLDialogElement>(null)
  const id = useId()
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  return (
    <dialog ref={dialog} role="alertdialog" aria-labelledby={id} onCancel={onCancel} className="dialog">
      <p id={id}>{message}</p>
      <div className="actions">
        <button type="button" autoFocus onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="button" className={danger ? 'danger' : 'primary'} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  )
}
