import { useEffect, useId, useState, type FormEvent } from 'react'
import { PERMISSIONS } from '../../../../shared/fleet/roles'
import { useFormat, useT } from '../../i18n'
import { useFields } from '../../store/fields'
import { usePermission, useSession } from '../../store/session'
import { usePolicies } from './policies-store'

/** The device models whose every job waits for a second person's approval; an admin adds and removes them. */
export function ModelApprovals() {
  const t = useT()
  const format = useFormat()
  const perm = usePermission('model.configure')
  const session = useSession((s) => s.status)
  const modelId = useId()
  const {
    modelApprovals: models,
    modelApprovalError: error,
    loadModelApprovals,
    setModelApproval
  } = useFields(usePolicies, 'modelApprovals', 'modelApprovalError', 'loadModelApprovals', 'setModelApproval')
  const [model, setModel] = useState('')
  useEffect(() => void loadModelApprovals(), [loadModelApprovals, session?.profileId, session?.backend])

  const set = async (name: string, requireApproval: boolean) => {
    if (await setModelApproval(name, requireApproval)) setModel('')
  }
  const add = (e: FormEvent) => {
    e.preventDefault()
    if (model.trim()) void set(model.trim(), true)
  }

  return (
    <section className="model-approvals" aria-labelledby="model-approvals-h">
      <h2 id="model-approvals-h">{t('modelApprovalTitle')}</h2>
      <p className="hint">{t('modelApprovalHint', { roles: PERMISSIONS['job.approve'].join(', ') })}</p>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {models && models.length === 0 && <p className="empty">{t('modelApprovalNone')}</p>}
      {models && models.length > 0 && (
        <ul aria-label={t('modelApprovalTitle')}>
          {models.map((m) => (
            <li key={m.model}>
              <strong>{m.model}</strong> <span className="hint">{t('modelApprovalSince', { at: format.dateTime(m.updatedAt), by: m.updatedBy })}</span>{' '}
              <button type="button" disabled={!perm.allowed} title={perm.reason} onClick={() => void set(m.model, false)}>
                {t('modelApprovalRemove', { model: m.model })}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form className="row" onSubmit={add} aria-label={t('modelApprovalAdd')}>
        <div className="field">
          <label htmlFor={modelId}>{t('modelApprovalModel')}</label>
          <input id={modelId} value={model} disabled={!perm.allowed} spellCheck={false} placeholder="model_a" onChange={(e) => setModel(e.target.value)} />
        </div>
        <button type="submit" disabled={!perm.allowed || !model.trim()} title={perm.reason}>
          {t('modelApprovalAdd')}
        </button>
      </form>
    </section>
  )
}
