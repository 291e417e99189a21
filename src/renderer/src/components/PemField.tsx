import { useId, useRef } from 'react'
import { useT } from '../i18n'

interface Props {
  label: string
  hint?: string
  value: string
  placeholder?: string
  onChange(value: string): void
}

/** A PEM block, pasted or loaded from a file (read in the page; the path never leaves it). */
export function PemField({ label, hint, value, placeholder, onChange }: Props) {
  const t = useT()
  const id = useId()
  const file = useRef<HTMLInputElement>(null)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={4}
        spellCheck={false}
        value={value}
        placeholder={placeholder ?? '-----BEGIN CERTIFICATE-----'}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {hint && (
        <small id={`${id}-hint`} className="hint">
          {hint}
        </small>
      )}
      <button type="button" className="link" onClick={() => file.current?.click()} aria-label={`${t('loadFile')} ${label}`}>
        {t('loadFile')}
      </button>
      <input
        ref={file}
        type="file"
        hidden
        accept=".pem,.crt,.cer,.key"
        onChange={async (e) => {
          const picked = e.target.files?.[0]
          if (picked) onChange(await picked.text())
          e.target.value = ''
        }}
      />
    </div>
  )
}
