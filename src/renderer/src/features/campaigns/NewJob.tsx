import { useEffect, useId, useState } from 'react'
import type { DryRun } from '../../../../shared/fleet/jobs'
import { useFormat, useT } from '../../i18n'
import { ota } from '../../ota'
import { usePermission } from '../../store/session'
import { useJobs } from './jobs-store'
import { usePolicies } from './policies-store'
import { SpecEditor } from './SpecEditor'
import { EMPTY_FORM, formToSpec, specToForm, type SpecForm } from './spec-form'
import { specInWords } from './spec-words'
import { usePublishedReleases } from './use-published-releases'
import { useFields } from '../../store/fields'

type Source = { kind: 'policy'; policyId: string } | { kind: 'scratch' }

/**
 * Creating a job: from a template policy or from scratch, then a review that states the plan
 * in words (waves, thresholds, schedule) with the vehicles it selects now, then Create.
 */
export function NewJob() {
  const t = useT()
  const format = useFormat()
  const perm = usePermission('job.create')
  const { open, createFromPolicy, createFromSpec, view } = useFields(useJobs, 'open', 'createFromPolicy', 'createFromSpec', 'view')
  const { policies: allPolicies, load: loadPolicies, loaded } = useFields(usePolicies, 'policies', 'load', 'loaded')
  const policies = allPolicies.filter((p) => p.kind === 'template')
  const { releases } = usePublishedReleases()
  const [source, setSource] = useState<Source>({ kind: 'policy', policyId: view.kind === 'new' ? (view.policyId ?? '') : '' })
  const [form, setForm] = useState<SpecForm>(EMPTY_FORM)
  const [name, setName] = useState('')
  const [step, setStep] = useState<'edit' | 'review'>('edit')
  const [tried, setTried] = useState(false)
  const [plan, setPlan] = useState<DryRun>()
  const [error, setError] = useState<string>()
  const [creating, setCreating] = useState(false)
  const nameId = useId()
  const policyId = useId()

  useEffect(() => void (loaded || loadPolicies()), [loaded, loadPolicies])
  const policy = source.kind === 'policy' ? policies.find((p) => p.id === source.policyId) : undefined
  const spec = source.kind === 'policy' ? (policy ? { ok: true as const, spec: policy.spec } : undefined) : formToSpec(form)

  const review = async () => {
    setTried(true)
    setError(undefined)
    if (!name.trim()) return setError(t('jobNameRequired'))
    if (!spec?.ok) return setError(source.kind === 'policy' ? t('choosePolicyError') : t('fixSpec'))
    const r = source.kind === 'policy' && policy ? await ota.policies.preview({ id: policy.id }) : await ota.jobs.dryRun({ name, ...spec.spec })
    if (!r.ok) return setError(r.error.message)
    setPlan(r.value)
    setStep('review')
  }

  const create = async () => {
    if (!spec?.ok) return
    setCreating(true)
    setError(undefined)
    try {
      if (source.kind === 'policy' && policy) await createFromPolicy(policy.id, name.trim())
      else await createFromSpec({ name: name.trim(), ...spec.spec })
    } catch (err) {
      setError((err as Error).message)
    } finally {
      setCreating(false)
    }
  }

  return (
    <section className="panel wide new-job" aria-labelledby="new-job-h">
      <button type="button" className="link" onClick={() => open({ kind: 'list' })}>
        {t('backToJobs')}
      </button>
      <h1 id="new-job-h">{step === 'edit' ? t('newJob') : t('reviewJob')}</h1>
      {error && (
        <p className="banner error" role="alert">
          {error}
        </p>
      )}
      {step === 'edit' ? (
        <>
          <div className="field">
            <label htmlFor={nameId}>{t('jobName')}</label>
            <input id={nameId} value={name} onChange={(e) => setName(e.target.value)} aria-invalid={tried && !name.trim() ? true : undefined} />
          </div>
          <div role="radiogroup" aria-label={t('jobSource')} className="radio-row">
            <label className="inline">
              <input type="radio" name="job-source" checked={source.kind === 'policy'} onChange={() => setSource({ kind: 'policy', policyId: '' })} />
              {t('fromPolicy')}
            </label>
            <label className="inline">
              <input type="radio" name="job-source" checked={source.kind === 'scratch'} onChange={() => setSource({ kind: 'scratch' })} />
              {t('fromScratch')}
            </label>
          </div>
          {source.kind === 'policy' ? (
            <div className="field">
              <label htmlFor={policyId}>{t('policy')}</label>
              <select id={policyId} value={source.policyId} onChange={(e) => setSource({ kind: 'policy', policyId: e.target.value })}>
                <option value="">{t('choosePolicy')}</option>
                {policies.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
              {loaded && policies.length === 0 && <span className="hint">{t('noPoliciesYet')}</span>}
              {policy && (
                <button type="button" className="link" onClick={() => (setForm(specToForm(policy.spec)), setSource({ kind: 'scratch' }))}>
                  {t('customizePolicy')}
                </button>
              )}
            </div>
          ) : (
            <SpecEditor form={form} onChange={setForm} releases={releases} showErrors={tried} />
          )}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void review()}>
              {t('reviewButton')}
            </button>
          </div>
        </>
      ) : (
        spec?.ok && (
          <>
            <p className="review-lead">{t('reviewLead', { name: name.trim(), n: plan?.selected ?? 0 })}</p>
            <ul className="plan-words" aria-label={t('planInWords')}>
              {specInWords(t, spec.spec, format.dateTime, plan?.waves).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {plan?.selected === 0 && <p className="banner warning">{t('selectsNothing')}</p>}
            <div className="actions">
              <button type="button" onClick={() => setStep('edit')}>
                {t('back')}
              </button>
              <button type="button" className="primary" disabled={!perm.allowed || creating || plan?.selected === 0} title={perm.reason} onClick={() => void create()}>
                {creating ? t('creating') : t('createJob')}
              </button>
            </div>
          </>
        )
      )}
    </section>
  )
}
