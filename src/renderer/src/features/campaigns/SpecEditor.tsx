import { useEffect, useId, useState } from 'react'
import type { ReleaseView } from '../../../../shared/fleet/catalog'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { formToSpec, type SpecForm, type WaveForm, type WindowForm } from './spec-form'

const DAYS = ['daySun', 'dayMon', 'dayTue', 'dayWed', 'dayThu', 'dayFri', 'daySat'] as const

/** A labelled input whose error (from the spec's validation) is announced with it. */
function Field(props: { label: string; value: string; onChange(v: string): void; error?: string; type?: string; hint?: string; multiline?: boolean; width?: string }) {
  const id = useId()
  const describedBy = [props.hint ? `${id}-hint` : '', props.error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined
  const common = { id, value: props.value, 'aria-invalid': props.error ? true : undefined, 'aria-describedby': describedBy }
  return (
    <div className="field" style={props.width ? { maxWidth: props.width } : undefined}>
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} type={props.type ?? 'text'} onChange={(e) => props.onChange(e.target.value)} />
      )}
      {props.hint && (
        <span id={`${id}-hint`} className="hint">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${id}-err`} className="field-error">
          {props.error}
        </span>
      )}
    </div>
  )
}

/** "Selects N vehicles": a dry run of the spec as edited, a moment after the last keystroke. */
function usePreview(form: SpecForm) {
  const result = formToSpec(form)
  const key = result.ok ? JSON.stringify(result.spec) : null
  const [preview, setPreview] = useState<{ key: string; value: { selected: number; waves: number[] } | { error: string } }>()
  useEffect(() => {
    if (key === null) return
    const timer = setTimeout(() => {
      void ota.jobs.dryRun({ name: 'preview', ...JSON.parse(key) }).then((r) => setPreview({ key, value: r.ok ? r.value : { error: r.error.message } }))
    }, 300)
    return () => clearTimeout(timer)
  }, [key])
  return preview?.key === key ? preview.value : undefined
}

type Props = { form: SpecForm; onChange(f: SpecForm): void; showErrors: boolean }

const validationErrors = (form: SpecForm) => {
  const result = formToSpec(form)
  return result.ok ? {} : result.errors
}

/** The release and the vehicles it reaches, with the live "selects N vehicles" preview. */
export function TargetFields({ form, onChange, showErrors, releases }: Props & { releases: ReleaseView[] }) {
  const t = useT()
  const errors = showErrors ? validationErrors(form) : {}
  const err = (key: string) => errors[key]
  const set = <K extends keyof SpecForm>(key: K, value: SpecForm[K]) => onChange({ ...form, [key]: value })
  const preview = usePreview(form)
  const releaseId = useId()
  return (
    <fieldset>
      <legend>{t('target')}</legend>
      <div className="field">
        <label htmlFor={releaseId}>{t('release')}</label>
        <select id={releaseId} value={form.releaseId} onChange={(e) => set('releaseId', e.target.value)} aria-invalid={err('releaseId') ? true : undefined}>
          <option value="">{t('chooseRelease')}</option>
          {releases.map((r) => (
            <option key={r.id} value={r.id}>
              {r.model} · {r.ecu} · {r.version}
            </option>
          ))}
        </select>
        {releases.length === 0 && <span className="hint">{t('noPublishedReleases')}</span>}
        {err('releaseId') && <span className="field-error">{t('chooseReleaseError')}</span>}
      </div>
      <div className="row">
        <Field label={t('models')} hint={t('listHint')} value={form.models} onChange={(v) => set('models', v)} error={err('selection.models.0')} />
        <Field label={t('versionRange')} hint={t('versionRangeHint')} value={form.versionRange} onChange={(v) => set('versionRange', v)} error={err('selection.versionRange')} />
      </div>
      <div className="row">
        <Field label={t('tags')} value={form.tags} onChange={(v) => set('tags', v)} />
        <Field label={t('regions')} value={form.regions} onChange={(v) => set('regions', v)} />
      </div>
      <Field
        label={t('vins')}
        hint={t('vinsHint')}
        value={form.vins}
        onChange={(v) => set('vins', v)}
        multiline
        error={Object.entries(errors).find(([k]) => k.startsWith('selection.vins'))?.[1]}
      />
      <p className="preview" role="status" aria-live="polite">
        {preview === undefined ? t('previewNeedsSpec') : 'error' in preview ? preview.error : t('selectsN', { n: preview.selected, waves: preview.waves.join(' / ') })}
      </p>
    </fieldset>
  )
}

/** Maintenance windows, in each vehicle's local time. */
export function WindowFields({ form, onChange, showErrors }: Props) {
  const t = useT()
  const errors = showErrors ? validationErrors(form) : {}
  const set = <K extends keyof SpecForm>(key: K, value: SpecForm[K]) => onChange({ ...form, [key]: value })
  const setWindow = (i: number, patch: Partial<WindowForm>) =>
    set(
      'windows',
      form.windows.map((w, j) => (j === i ? { ...w, ...patch } : w))
    )
  return (
    <>
      <p className="hint">{t('windowsHint')}</p>
      {form.windows.map((w, i) => (
        <div key={i} className="window-row" role="group" aria-label={t('windowN', { n: i + 1 })}>
          <span className="days">
            {DAYS.map((d, day) => (
              <label key={d} className="inline">
                <input
                  type="checkbox"
                  checked={w.days.includes(day)}
                  onChange={(e) => setWindow(i, { days: e.target.checked ? [...w.days, day].sort() : w.days.filter((x) => x !== day) })}
                />
                {t(d)}
              </label>
            ))}
          </span>
          <Field
            label={t('windowStart')}
            type="time"
            value={w.start}
            onChange={(v) => setWindow(i, { start: v })}
            error={Object.entries(errors).find(([k]) => k.startsWith(`schedule.maintenanceWindows.${i}`))?.[1]}
            width="8rem"
          />
          <Field label={t('windowMinutes')} type="number" value={w.duration} onChange={(v) => setWindow(i, { duration: v })} width="8rem" />
          <button
            type="button"
            className="link"
            onClick={() =>
              set(
                'windows',
                form.windows.filter((_, j) => j !== i)
              )
            }
          >
            {t('removeWindow')}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set('windows', [...form.windows, { days: [1, 2, 3, 4, 5], start: '02:00', duration: '120' }])}>
        {t('addWindow')}
      </button>
    </>
  )
}

/** A whole job spec: target, rollout, thresholds, schedule and action type. */
export function SpecEditor({ form, onChange, releases, showErrors }: Props & { releases: ReleaseView[] }) {
  const t = useT()
  const errors = showErrors ? validationErrors(form) : {}
  const err = (key: string) => errors[key]
  const set = <K extends keyof SpecForm>(key: K, value: SpecForm[K]) => onChange({ ...form, [key]: value })
  const setWave = (i: number, patch: Partial<WaveForm>) =>
    set(
      'waves',
      form.waves.map((w, j) => (j === i ? { ...w, ...patch } : w))
    )
  const releaseId = useId()
  return (
    <div className="spec-editor">
      <TargetFields form={form} onChange={onChange} showErrors={showErrors} releases={releases} />
      <fieldset>
        <legend>{t('rollout')}</legend>
        <ol className="waves">
          {form.waves.map((w, i) => (
            <li key={i} className="wave-row" aria-label={t('waveN', { n: i + 1 })}>
              <Field label={t('waveName')} value={w.name} onChange={(v) => setWave(i, { name: v })} width="10rem" />
              <div className="field" style={{ maxWidth: '9rem' }}>
                <label htmlFor={`${releaseId}-kind-${i}`}>{t('waveSizeKind')}</label>
                <select id={`${releaseId}-kind-${i}`} value={w.kind} onChange={(e) => setWave(i, { kind: e.target.value as WaveForm['kind'] })}>
                  <option value="count">{t('byCount')}</option>
                  <option value="percent">{t('byPercent')}</option>
                </select>
              </div>
              <Field
                label={t('waveSize')}
                type="number"
                value={w.value}
                onChange={(v) => setWave(i, { value: v })}
                error={Object.entries(errors).find(([k]) => k.startsWith(`rollout.waves.${i}.size`))?.[1]}
                width="7rem"
              />
              <label className="inline">
                <input type="checkbox" checked={w.canary} onChange={(e) => setWave(i, { canary: e.target.checked })} />
                {t('canary')}
              </label>
              <button
                type="button"
                className="link"
                disabled={form.waves.length === 1}
                onClick={() =>
                  set(
                    'waves',
                    form.waves.filter((_, j) => j !== i)
                  )
                }
              >
                {t('removeWave', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
        <p className="hint">{t('lastWaveHint')}</p>
        <button type="button" onClick={() => set('waves', [...form.waves, { name: '', kind: 'percent', value: '100', canary: false }])} disabled={form.waves.length >= 20}>
          {t('addWave')}
        </button>
        <div className="row">
          <Field label={t('maxInFlight')} type="number" value={form.maxInFlight} onChange={(v) => set('maxInFlight', v)} error={err('rollout.maxInFlight')} />
        </div>
        <label className="inline">
          <input type="checkbox" checked={form.useRate} onChange={(e) => set('useRate', e.target.checked)} />
          {t('useRate')}
        </label>
        {form.useRate && (
          <div className="row">
            <Field label={t('ratePerMinute')} type="number" value={form.ratePerMinute} onChange={(v) => set('ratePerMinute', v)} error={err('rollout.rate.perMinute')} />
            <Field label={t('rateFactor')} type="number" value={form.rateFactor} onChange={(v) => set('rateFactor', v)} error={err('rollout.rate.factor')} />
            <Field label={t('rateEvery')} type="number" value={form.rateEvery} onChange={(v) => set('rateEvery', v)} error={err('rollout.rate.everySuccesses')} />
          </div>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('thresholds')}</legend>
        <div className="row">
          <Field
            label={t('advancePercent')}
            type="number"
            value={form.advancePercent}
            onChange={(v) => set('advancePercent', v)}
            error={err('thresholds.advanceAtSuccessPercent')}
          />
          <Field
            label={t('timeoutMinutes')}
            type="number"
            value={form.timeoutMinutes}
            onChange={(v) => set('timeoutMinutes', v)}
            error={err('thresholds.executionTimeoutMinutes')}
          />
          <Field label={t('healthMinutes')} type="number" value={form.healthMinutes} onChange={(v) => set('healthMinutes', v)} error={err('thresholds.healthWindowMinutes')} />
        </div>
        <div className="row">
          <Field label={t('failurePercent')} type="number" value={form.failurePercent} onChange={(v) => set('failurePercent', v)} error={err('thresholds.failure.percent')} />
          <Field label={t('failureMin')} type="number" value={form.failureMin} onChange={(v) => set('failureMin', v)} error={err('thresholds.failure.minFinished')} />
          <div className="field">
            <label htmlFor={`${releaseId}-action`}>{t('failureAction')}</label>
            <select id={`${releaseId}-action`} value={form.failureAction} onChange={(e) => set('failureAction', e.target.value as SpecForm['failureAction'])}>
              <option value="pause">{t('pause')}</option>
              <option value="abort">{t('abort')}</option>
            </select>
          </div>
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('scheduleAndAction')}</legend>
        <div role="radiogroup" aria-label={t('actionType')} className="radio-row">
          {(['forced', 'soft', 'download-only'] as const).map((a) => (
            <label key={a} className="inline">
              <input type="radio" name={`${releaseId}-actionType`} checked={form.actionType === a} onChange={() => set('actionType', a)} />
              {t(`action_${a}`)}
            </label>
          ))}
        </div>
        <div className="row">
          <Field label={t('startAt')} type="datetime-local" value={form.startAt} onChange={(v) => set('startAt', v)} error={err('schedule.startAt')} hint={t('startAtHint')} />
          <Field label={t('endAt')} type="datetime-local" value={form.endAt} onChange={(v) => set('endAt', v)} error={err('schedule.endAt')} hint={t('endAtHint')} />
        </div>
        <WindowFields form={form} onChange={onChange} showErrors={showErrors} />
      </fieldset>
    </div>
  )
}
