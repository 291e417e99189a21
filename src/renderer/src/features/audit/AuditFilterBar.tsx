import type { FormEvent } from 'react'
import { AuditOutcome } from '../../../../shared/fleet/audit'
import { useT } from '../../i18n'
import { hasFilters, rangeInverted } from './audit-filters'
import { useAudit } from './audit-store'
import { useFields } from '../../store/fields'

/** Text, actor, action, outcome and a range of days; every change applies on its own. */
export function AuditFilterBar({ disabled }: { disabled: boolean }) {
  const t = useT()
  const { form, actions, setForm, clearForm, load } = useFields(useAudit, 'form', 'actions', 'setForm', 'clearForm', 'load')
  const inverted = rangeInverted(form)
  const actionChoices = form.action && !actions.includes(form.action) ? [form.action, ...actions] : actions
  const submit = (e: FormEvent) => {
    e.preventDefault()
    if (!inverted) void load()
  }
  return (
    <form role="search" aria-label={t('auditFilters')} className="filter-bar audit-filters" onSubmit={submit}>
      <fieldset disabled={disabled}>
        <div className="field audit-search">
          <label htmlFor="audit-q">{t('auditSearch')}</label>
          <input id="audit-q" type="search" value={form.q} placeholder={t('auditSearchHint')} maxLength={200} onChange={(e) => setForm({ q: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-actor">{t('auditActor')}</label>
          <input id="audit-actor" value={form.actor} placeholder={t('auditActorHint')} maxLength={200} onChange={(e) => setForm({ actor: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('auditAction')}</label>
          <select id="audit-action" value={form.action} onChange={(e) => setForm({ action: e.target.value })}>
            <option value="">{t('auditAnyAction')}</option>
            {actionChoices.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-outcome">{t('auditOutcome')}</label>
          <select id="audit-outcome" value={form.outcome} onChange={(e) => setForm({ outcome: e.target.value as AuditOutcome | '' })}>
            <option value="">{t('auditAnyOutcome')}</option>
            {AuditOutcome.options.map((o) => (
              <option key={o} value={o}>
                {t(`outcome_${o}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-since">{t('auditSince')}</label>
          <input
            id="audit-since"
            type="date"
            value={form.since}
            max={form.until || undefined}
            aria-invalid={inverted || undefined}
            onChange={(e) => setForm({ since: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-until">{t('auditUntil')}</label>
          <input
            id="audit-until"
            type="date"
            value={form.until}
            min={form.since || undefined}
            aria-invalid={inverted || undefined}
            onChange={(e) => setForm({ until: e.target.value })}
          />
        </div>
        <button type="button" className="audit-clear" disabled={!hasFilters(form)} onClick={clearForm}>
          {t('auditClear')}
        </button>
      </fieldset>
      {inverted && (
        <p role="alert" className="banner warning">
          {t('auditRangeInverted')}
        </p>
      )}
    </form>
  )
}
