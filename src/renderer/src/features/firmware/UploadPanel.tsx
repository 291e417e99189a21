import { useId, useRef, useState, type DragEvent } from 'react'
import { useFormat, useT } from '../../i18n'
import { usePermission } from '../../store/session'
import { ReleaseFormView } from './ReleaseFormView'
import { percentOf, secondsLeft } from './upload-progress'
import { useUpload, type UploadState } from './upload-store'
import { useFields } from '../../store/fields'

/** Step one of a release: the image, dropped or chosen, uploaded with progress; then its details. */
export function UploadPanel() {
  const t = useT()
  const { state, start, reset } = useFields(useUpload, 'state', 'start', 'reset')
  const perm = usePermission('artifact.upload')

  return (
    <section className="panel wide" aria-labelledby="fw-upload-title">
      <h2 id="fw-upload-title">{t('fwNewRelease')}</h2>
      {state.phase === 'uploading' && <Progress state={state} />}
      {state.phase === 'done' && <ReleaseFormView upload={state} onDone={reset} />}
      {state.phase !== 'uploading' && state.phase !== 'done' && (
        <>
          {state.phase === 'failed' && (
            <p role="alert" className="banner error">
              {t('fwUploadFailed', { name: state.name, reason: state.message })}
            </p>
          )}
          {state.phase === 'canceled' && (
            <p role="status" className="banner warning">
              {t('fwUploadCanceled', { name: state.name })}
            </p>
          )}
          <DropZone allowed={perm.allowed} reason={perm.reason} onFile={(f) => void start(f)} />
        </>
      )}
    </section>
  )
}

function DropZone({ allowed, reason, onFile }: { allowed: boolean; reason?: string; onFile(file: File): void }) {
  const t = useT()
  const input = useRef<HTMLInputElement>(null)
  const inputId = useId()
  const [over, setOver] = useState(false)
  const drop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    const file = e.dataTransfer.files[0]
    if (file && allowed) onFile(file)
  }
  return (
    <div
      className={`fw-drop${over ? ' over' : ''}${allowed ? '' : ' disabled'}`}
      data-testid="firmware-drop-zone"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(allowed)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      title={reason}
    >
      <p>{t('fwDropHint')}</p>
      <input
        ref={input}
        id={inputId}
        type="file"
        className="fw-file-input"
        tabIndex={-1}
        aria-label={t('fwChooseFileLabel')}
        disabled={!allowed}
        onChange={(e) => {
          const file = e.target.files?.[0]
          e.target.value = ''
          if (file) onFile(file)
        }}
      />
      <button type="button" disabled={!allowed} title={reason} onClick={() => input.current?.click()}>
        {t('fwChooseFile')}
      </button>
    </div>
  )
}

function Progress({ state }: { state: Extract<UploadState, { phase: 'uploading' }> }) {
  const t = useT()
  const format = useFormat()
  const { cancel } = useFields(useUpload, 'cancel')
  const pct = percentOf(state.sent, state.size)
  const left = secondsLeft(state.sent, state.size, state.bytesPerSecond)
  const speed = state.bytesPerSecond === null ? t('fwMeasuring') : format.rate(state.bytesPerSecond)
  return (
    <div className="fw-progress">
      <p>{t('fwUploading', { name: state.name })}</p>
      <div role="progressbar" aria-label={t('fwUploadProgress')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-valuetext={`${pct}% · ${speed}`} className="fw-bar">
        <div style={{ width: `${pct}%` }} />
      </div>
      <p className="hint">
        {t('fwProgressLine', { sent: format.bytes(state.sent), size: format.bytes(state.size), pct, speed })}
        {left !== null && ` · ${t('fwSecondsLeft', { n: left })}`}
      </p>
      <button type="button" onClick={() => void cancel()}>
        {t('fwCancelUpload')}
      </button>
    </div>
  )
}
