import { useId, useMemo, useState, type FormEvent } from 'react'
import type { ArtifactView } from '../../../../shared/fleet/catalog'
import { useFormat, useT } from '../../i18n'
import { CallFailed } from '../../ota'
import { usePermission } from '../../store/session'
import { useFirmware } from './firmware-store'
import { EMPTY_RELEASE_FORM, validateRelease, type ReleaseForm, type ReleaseFormErrors } from './release-form'

/** Step two: what the uploaded image is for. Each field says what is wrong with it. */
export function ReleaseFormView({ upload, onDone }: { upload: { name: string; artifact: ArtifactView }; onDone(): void }) {
  const t = useT()
  const format = useFormat()
  const perm = usePermission('release.create')
  const releases = useFirmware((s) => s.list?.releases)
  const [form, setForm] = useState<ReleaseForm>(EMPTY_RELEASE_FORM)
  const [errors, setErrors] = useState<ReleaseFormErrors>({})
  const [failure, setFailure] = useState<string>()
  const [busy, setBusy] = useState(false)
  const known = useMemo(() => ({ models: [...new Set(releases?.map((r) => r.model))].sort(), ecus: [...new Set(releases?.map((r) => r.ecu))].sort() }), [releases])
  const ids = { models: useId(), ecus: useId() }

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    const { release, errors: found } = validateRelease(form, upload.artifact.sha256)
    setErrors(found)
    setFailure(undefined)
    if (!release) return
    setBusy(true)
    try {
      const created = await useFirmware.getState().create(release)
      useFirmware.setState({ lastChange: undefined, lastCreated: created })
      onDone()
    } catch (err) {
      setFailure(err instanceof CallFailed ? err.message : String(err))
    } finally {
      setBusy(false)
    }
  }

  const field = (key: keyof ReleaseForm, label: string, hint?: string, extra: { list?: string; placeholder?: string; multiline?: boolean } = {}) => (
    <Field
      label={label}
      hint={hint}
      error={errors[key] && t(errors[key])}
      multiline={extra.multiline}
      list={extra.list}
      placeholder={extra.placeholder}
      value={form[key]}
      onChange={(v) => setForm((f) => ({ ...f, [key]: v }))}
    />
  )

  return (
    <form onSubmit={(e) => void submit(e)} className="fw-form" aria-label={t('fwReleaseFormTitle')} noValidate>
      <p role="status" className="banner ok">
        {t('fwUploaded', { name: upload.name, size: format.bytes(upload.artifact.size), sha: `${upload.artifact.sha256.slice(0, 16)}…` })}
      </p>
      <div className="row">
        {field('model', t('fwModel'), t('fwModelHint'), { list: ids.models, placeholder: 'model_a' })}
        {field('ecu', t('fwEcu'), t('fwEcuHint'), { list: ids.ecus, placeholder: 'ECU_001' })}
        {field('version', t('fwVersion'), t('fwVersionHint'), { placeholder: '2.1.0' })}
      </div>
      {field('hardware', t('fwHardware'), t('fwHardwareHint'), { placeholder: 'model_a-ecu001-hw1' })}
      {field('channels', t('fwChannels'), t('fwChannelsHint'), { placeholder: 'stable' })}
      {field('notes', t('fwNotes'), undefined, { multiline: true })}
      <datalist id={ids.models}>
        {known.models.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      <datalist id={ids.ecus}>
        {known.ecus.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      {failure && (
        <p role="alert" className="banner error">
          {failure}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={!perm.allowed || busy} title={perm.reason}>
          {busy ? t('fwCreating') : t('fwCreateRelease')}
        </button>
        <button type="button" onClick={onDone}>
          {t('fwDiscardUpload')}
        </button>
      </div>
    </form>
  )
}

function Field(props: { label: string; hint?: string; error?: string; value: string; onChange(v: string): void; list?: string; placeholder?: string; multiline?: boolean }) {
  const id = useId()
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`].filter(Boolean).join(' ') || undefined
  const common = { id, value: props.value, 'aria-invalid': !!props.error, 'aria-describedby': described, placeholder: props.placeholder }
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={3} onChange={(e) => props.onChange(e.target.value)} />
      ) : (
        <input {...common} list={props.list} onChange={(e) => props.onChange(e.target.value)} />
      )}
      {props.hint && (
        <span id={`${id}-hint`} className="hint fw-small">
          {props.hint}
        </span>
      )}
      {props.error && (
        <span id={`${id}-error`} className="fw-error">
          {props.error}
        </span>
      )}
    </div>
  )
}
