import { useEffect, useId, useState } from 'react'
import type { PolicyView } from '../../../../shared/fleet/jobs'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useFormat, useT } from '../../i18n'
import { useApp } from '../../store/app'
import { usePermission, useSession } from '../../store/session'
import { useJobs } from './jobs-store'
import { usePolicies } from './policies-store'
import { ModelApprovals } from './ModelApprovals'
import { SpecEditor, TargetFields, WindowFields } from './SpecEditor'
import { EMPTY_FORM, formToSpec, formToStanding, specToForm, standingToForm, type SpecForm } from './spec-form'
import { specInWords, standingInWords } from './spec-words'
import { usePublishedReleases } from './use-published-releases'
import './campaigns.css'
import { useFields } from '../../store/fields'

type Editing = { id: string | null; kind: PolicyView['kind']; name: string; form: SpecForm; requireApproval: boolean }

export function PoliciesScreen() {
  const t = useT()
  const format = useFormat()
  const { policies, loaded, error, load, remove } = useFields(usePolicies, 'policies', 'loaded', 'error', 'load', 'remove')
  const write = usePermission('policy.write')
  const createJob = usePermission('job.create')
  const session = useSession((s) => s.status)
  const [editing, setEditing] = useState<Editing>()
  const [deleting, setDeleting] = useState<PolicyView>()
  useEffect(() => void load(), [load, session?.profileId, session?.backend])

  if (editing) return <PolicyEditor editing={editing} onDone={() => setEditing(undefined)} />
  const startJob = (policyId: string) => {
    useJobs.getState().open({ kind: 'new', policyId })
    useApp.getState().show('jobs')
  }
  return (
    <section className="panel wide" aria-labelledby="policies-h">
      <header className="screen-header">
        <h1 id="policies-h">{t('navPolicies')}</h1>
        <button
          type="button"
          className="primary"
          disabled={!write.allowed}
          title={write.reason}
          onClick={() => setEditing({ id: null, kind: 'template', name: '', form: EMPTY_FORM, requireApproval: false })}
        >
          {t('newPolicy')}
        </button>
        <button
          type="button"
          disabled={!write.allowed}
          title={write.reason}
          onClick={() => setEditing({ id: null, kind: 'standing', name: '', form: EMPTY_FORM, requireApproval: false })}
        >
          {t('newStandingPolicy')}
        </button>
      </header>
      <p className="hint">{t('policiesIntro')}</p>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {loaded && !error && policies.length === 0 && <p className="empty">{t('noPoliciesYet')}</p>}
      <ModelApprovals />
      <ul className="policy-list" aria-label={t('navPolicies')}>
        {policies.map((p) => (
          <li key={p.id} className="policy-card">
            <h2>
              {p.name} <span className="kind-badge">{t(p.kind === 'standing' ? 'kindStanding' : 'kindTemplate')}</span>
            </h2>
            <ul className="plan-words">
              {(p.kind === 'standing' ? standingInWords(t, p.rule, format.dateTime) : specInWords(t, p.spec, format.dateTime).slice(0, 4)).map((line) => (
                <li key={line}>{line}</li>
              ))}
              {p.kind === 'template' && p.requireApproval && <li>{t('requireApproval')}</li>}
            </ul>
            <div className="actions">
              {p.kind === 'template' && (
                <button
                  type="button"
                  className="primary"
                  disabled={!createJob.allowed}
                  title={createJob.reason}
                  onClick={() => startJob(p.id)}
                  aria-label={t('createJobFromNamed', { name: p.name })}
                >
                  {t('createJobFrom')}
                </button>
              )}
              <button
                type="button"
                disabled={!write.allowed}
                title={write.reason}
                onClick={() =>
                  setEditing({
                    id: p.id,
                    kind: p.kind,
                    name: p.name,
                    form: p.kind === 'standing' ? standingToForm(p.rule) : specToForm(p.spec),
                    requireApproval: p.kind === 'template' && p.requireApproval
                  })
                }
                aria-label={t('editNamed', { name: p.name })}
              >
                {t('edit')}
              </button>
              <button
                type="button"
                className="danger"
                disabled={!write.allowed}
                title={write.reason}
                onClick={() => setDeleting(p)}
                aria-label={t('deleteNamed', { name: p.name })}
              >
                {t('delete')}
              </button>
            </div>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          message={t('deletePolicyConfirm', { name: deleting.name })}
          confirmLabel={t('deletePolicy')}
          onCancel={() => setDeleting(undefined)}
          onConfirm={async () => {
            await remove(deleting.id).catch(() => {})
            setDeleting(undefined)
          }}
        />
      )}
    </section>
  )
}

function PolicyEditor({ editing, onDone }: { editing: Editing; onDone(): void }) {
  const t = useT()
  const { save } = useFields(usePolicies, 'save')
  const { releases } = usePublishedReleases()
  const [name, setName] = useState(editing.name)
  const [form, setForm] = useState(editing.form)
  const [requireApproval, setRequireApproval] = useState(editing.requireApproval)
  const [tried, setTried] = useState(false)
  const [error, setError] = useState<string>()
  const [saving, setSaving] = useState(false)
  const nameId = useId()

  const submit = async () => {
    setTried(true)
    if (!name.trim()) return setError(t('policyNameRequired'))
    const input = editing.kind === 'standing' ? formToStanding(form) : formToSpec(form)
    if (!input.ok) return setError(t('fixSpec'))
    setSaving(true)
    try {
      await save(
        editing.id,
        'rule' in input ? { name: name.trim(), kind: 'standing', rule: input.rule } : { name: name.trim(), kind: 'template', spec: input.spec, requireApproval }
      )
      onDone()
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setSaving(false)
    }
  }
  return (
    <section className="panel wide" aria-labelledby="policy-edit-h">
      <h1 id="policy-edit-h">{editing.kind === 'standing' ? (editing.id ? t('editStandingPolicy') : t('newStandingPolicy')) : editing.id ? t('editPolicy') : t('newPolicy')}</h1>
      {editing.kind === 'standing' && <p className="hint">{t('standingIntro')}</p>}
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      <div className="field">
        <label htmlFor={nameId}>{t('policyName')}</label>
        <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={tried && !name.trim() ? true : undefined} />
      </div>
      {editing.kind === 'standing' ? (
        <>
          <TargetFields form={form} onChange={setForm} releases={releases} showErrors={tried} />
          <fieldset>
            <legend>{t('whenOffered')}</legend>
            <div className="row">
              <DateField label={t('standingStart')} value={form.startAt} onChange={(v) => setForm({ ...form, startAt: v })} />
              <DateField label={t('standingEnd')} value={form.endAt} onChange={(v) => setForm({ ...form, endAt: v })} />
            </div>
            <WindowFields form={form} onChange={setForm} showErrors={tried} />
          </fieldset>
        </>
      ) : (
        <>
          <SpecEditor form={form} onChange={setForm} releases={releases} showErrors={tried} />
          <label className="inline">
            <input type="checkbox" checked={requireApproval} onChange={(e) => setRequireApproval(e.target.checked)} />
            {t('requireApproval')}
          </label>
        </>
      )}
      <div className="actions">
        <button type="button" onClick={onDone}>
          {t('cancel')}
        </button>
        <button type="button" className="primary" disabled={saving} onClick={() => void submit()}>
          {t('savePolicy')}
        </button>
      </div>
    </section>
  )
}

function DateField({ label, value, onChange }: { label: string; value: string; onChange(v: string): void }) {
  const id = useId()
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  )
}
