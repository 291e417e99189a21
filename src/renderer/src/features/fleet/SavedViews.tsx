import { useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useT } from '../../i18n'
import { useFleet } from './fleet-store'

/** Apply a saved view (filters and sort), save the current ones under a name, or delete one. */
export function SavedViews() {
  const t = useT()
  const { views, viewId, applyView, saveView, deleteView } = useFleet(
    useShallow((s) => ({ views: s.views, viewId: s.viewId, applyView: s.applyView, saveView: s.saveView, deleteView: s.deleteView }))
  )
  const [naming, setNaming] = useState(false)
  const [name, setName] = useState('')
  const [error, setError] = useState<string>()
  const [confirming, setConfirming] = useState(false)
  const current = views.find((v) => v.id === viewId)

  const save = async (e: React.FormEvent) => {
    e.preventDefault()
    const failed = await saveView(name)
    setError(failed)
    if (!failed) {
      setNaming(false)
      setName('')
    }
  }

  return (
    <div className="fleet-views">
      <div className="field">
        <label htmlFor="fleet-view">{t('fleetSavedViews')}</label>
        <select id="fleet-view" value={viewId ?? ''} onChange={(e) => e.target.value && applyView(e.target.value)}>
          <option value="">{views.length ? t('fleetChooseView') : t('fleetNoViews')}</option>
          {views.map((v) => (
            <option key={v.id} value={v.id}>
              {v.name}
            </option>
          ))}
        </select>
      </div>
      {naming ? (
        <form className="fleet-view-form" onSubmit={(e) => void save(e)}>
          <div className="field">
            <label htmlFor="fleet-view-name">{t('fleetViewName')}</label>
            <input
              id="fleet-view-name"
              value={name}
              maxLength={80}
              autoFocus
              onChange={(e) => setName(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'fleet-view-error' : undefined}
            />
          </div>
          <button type="submit" className="primary">
            {t('fleetSaveViewConfirm')}
          </button>
          <button type="button" onClick={() => (setNaming(false), setError(undefined))}>
            {t('cancel')}
          </button>
        </form>
      ) : (
        <button type="button" onClick={() => (setNaming(true), setName(current?.name ?? ''))}>
          {t('fleetSaveView')}
        </button>
      )}
      <button type="button" className="danger" disabled={!current} onClick={() => setConfirming(true)}>
        {t('fleetDeleteView')}
      </button>
      {error && (
        <p id="fleet-view-error" role="alert" className="banner error">
          {error}
        </p>
      )}
      {confirming && current && (
        <ConfirmDialog
          message={t('fleetDeleteViewConfirm', { name: current.name })}
          confirmLabel={t('fleetDeleteView')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void deleteView(current.id)
          }}
        />
      )}
    </div>
  )
}
