import { useEffect, useRef } from 'react'
import { useT } from '../i18n'

/** A modal confirmation; Escape cancels, focus starts on the safe choice. */
export function DeleteDialog({ name, onConfirm, onCancel }: { name: string; onConfirm(): void; onCancel(): void }) {
  const t = useT()
  const dialog = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    dialog.current?.showModal()
  }, [])
  return (
    <dialog ref={dialog} aria-labelledby="delete-title" onCancel={onCancel} className="dialog">
      <p id="delete-title">{t('deleteConfirm', { name })}</p>
      <div className="actions">
        <button type="button" autoFocus onClick={onCancel}>
          {t('cancel')}
        </button>
        <button type="button" className="danger" onClick={onConfirm}>
          {t('deleteConfirmButton')}
        </button>
      </div>
    </dialog>
  )
}
