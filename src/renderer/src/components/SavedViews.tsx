import { useState } from 'react'
import { ConfirmDialog } from './ConfirmDialog'
import { useT } from '../i18n'

/**
 * Apply a saved view (a table's filters and sort), save the current ones under a name, or delete
 * one. `idPrefix` keeps the ids of two screens' controls apart; `deleteMessage` says what a
 * deletion leaves alone.
 */
export function SavedViews({
  idPrefix,
  views,
  viewId,
  onApply,
  onSave,
  onDelete,
  deleteMessage
}: {
  idPrefix: string
  views: readonly { id: string; name: string }[]
  viewId: string | null
  onApply(id: string): void
  /** Answers the error to show, or nothing once saved. */
  onSave(name: string): Promise<string | undefined>
  onDelete(id: string): void
  deleteMessage(name: string): string
}) {
  const t = useT()
  const [naming, setNaming] = useState(false)
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  const [confirming, setConfirming] = useState(false)
  const current = views.find((v) => v.id === viewId)

  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    const failed = await onSave(name)
    setError(failed)
    if (!failed) {
      setNaming(false)
      setName('')
    }
  }

  return (
    <div className="saved-views">
      <div className="field">
        <label htmlFor={`${idPrefix}-view`}>{t('savedView')}</label>
        <select id={`${idPrefix}-view`} value={viewId ?? ''} onChange={(e) => e.target.value && onApply(e.target.value)}>
          <option value="">{views.length ? t('chooseView') : t('noViews')}</option>
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      {naming ? (
        <form className="saved-view-form" onSubmit={(e) => void save(e)}>
          <div className="field">
            <label htmlFor={`${idPrefix}-view-name`}>{t('viewName')}</label>
            <input
              id={`${idPrefix}-view-name`}
              value={name}
              maxLength={80}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? `${idPrefix}-view-error` : undefined}
            />
          </div>
          <button type="submit" className="primary">
            {t('saveViewConfirm')}
          </button>
          <button type="button" onClick={() => (setNaming(false), setError(undefined))}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => (setNaming(true), setName(current?.name ?? ''))}>
          {t('saveView')}
        </button>
      )}
      <button type="button" className="danger" disabled={!current} onClick={() => setConfirming(true)}>
        {t('deleteView')}
      </button>
      {error && (
        <p id={`${idPrefix}-view-error`} role="alert" className="banner error">
          {error}
        </p>
      )}
      {confirming && current && (
        <ConfirmDialog
          message={deleteMessage(current.name)}
          confirmLabel={t('deleteView')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            onDelete(current.id)
          }}
        />
      )}
    </div>
  )
}
