import { useShallow } from 'zustand/react/shallow'
import { SavedViews } from '../../components/SavedViews'
import { useT } from '../../i18n'
import { useFleet } from './fleet-store'

/** The fleet table's saved views. */
export function FleetSavedViews() {
  const t = useT()
  const { views, viewId, applyView, saveView, deleteView } = useFleet(
    useShallow((s) => ({ views: s.views, viewId: s.viewId, applyView: s.applyView, saveView: s.saveView, deleteView: s.deleteView }))
  )
  return (
    <SavedViews
      idPrefix="fleet"
      views={views}
      viewId={viewId}
      onApply={applyView}
      onSave={saveView}
      onDelete={(id) => void deleteView(id)}
      deleteMessage={(name) => t('fleetDeleteViewConfirm', { name })}
    />
  )
}
