import { useId } from 'react'
import { useT } from '../i18n'

interface Props {
  label: string
  value: string
  saved: boolean
  removing: boolean
  multiline?: boolean
  hint?: string
  onChange(value: string): void
  onRemove(removing: boolean): void
}

/** A secret input: write-only. The form never shows a stored value, only that one exists. */
export function SecretField({ label, value, saved, removing, multiline, hint, onChange, onRemove }: Props) {
  const t = useT()
  const id = useId()
  const common = {
    id,
    value,
    disabled: removing,
    autoComplete: 'off',
    spellCheck: false,
    placeholder: saved ? '••••••••' : undefined,
    'aria-describedby': `${id}-hint`,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value)
  }
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea rows={4} {...common} /> : <input type="password" {...common} />}
      <small id={`${id}-hint`} className="hint">
        {removing ? t('secretWillBeRemoved') : saved ? t('secretSaved') : (hint ?? '')}
      </small>
      {saved && (
        <label className="inline">
          <input type="checkbox" checked={removing} onChange={(e) => onRemove(e.target.checked)} />
          {t('removeSecret')}
        </label>
      )}
    </div>
  )
}
