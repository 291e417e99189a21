import { useEffect, useId, useState } from 'react'
import type { ConnectionTestResult } from '../../../shared/profile'
import { SANDBOX_PROFILE_ID } from '../../../shared/sandbox'
import { useT } from '../i18n'
import { ota } from '../ota'
import { useSandbox } from '../store/sandbox'
import { TestResults } from './TestResults'
import { useFields } from '../store/fields'

/** The built-in "Local sandbox": a backend and simulated vehicles on this machine. */
export function SandboxPanel() {
  const t = useT()
  const { status, error, load, run, setFailureRate: runWith } = useFields(useSandbox, 'status', 'error', 'load', 'run', 'setFailureRate')
  const [confirmReset, setConfirmReset] = useState(false)
  const [test, setTest] = useState<ConnectionTestResult>()
  const [testError, setTestError] = useState<string>()
  useEffect(() => void load(), [load])
  const state = status?.state ?? 'off'
  const busy = state === 'starting'

  return (
    <section className="panel" aria-labelledby="sandbox-heading">
      <h1 id="sandbox-heading">{t('sandboxTitle')}</h1>
      <p className="hint">{t('sandboxIntro')}</p>
      <p role="status" aria-live="polite" className={`banner ${state === 'failed' ? 'error' : state === 'running' ? 'ok' : 'warning'}`}>
        {t(`sandbox_${state}`)}
        {state === 'running' && ` · ${t('sandboxVehicles', { total: status?.vehicles ?? 0, online: status?.online ?? 0 })}`}
        {status?.message && ` · ${status.message}`}
      </p>
      {status?.backendUrl && (
        <dl className="facts">
          <dt>{t('backendUrl')}</dt>
          <dd>{status.backendUrl}</dd>
          {status.doip && (
            <>
              <dt>{t('sandboxDoip')}</dt>
              <dd>{t('sandboxDoipAt', { vin: status.doip.vin, host: status.doip.host, port: String(status.doip.port) })}</dd>
            </>
          )}
        </dl>
      )}
      {error && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {error}
        </p>
      )}
      <div className="actions">
        {state === 'running' || busy ? (
          <button type="button" onClick={() => void run('stop')} disabled={busy}>
            {t('sandboxStop')}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void run('start')}>
            {t('sandboxStart')}
          </button>
        )}
        <button
          type="button"
          disabled={state !== 'running'}
          onClick={async () => {
            setTest(undefined)
            const r = await ota.profiles.testConnection({ id: SANDBOX_PROFILE_ID })
            if (r.ok) setTest(r.value)
            else setTestError(r.error.message)
          }}
        >
          {t('testConnection')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => setConfirmReset(true)}>
          {t('sandboxReset')}
        </button>
      </div>
      {confirmReset && (
        <div role="alertdialog" aria-labelledby="reset-q" className="banner warning">
          <p id="reset-q">{t('sandboxResetConfirm')}</p>
          <div className="actions">
            <button type="button" onClick={() => setConfirmReset(false)}>
              {t('cancel')}
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => {
                setConfirmReset(false)
                void run('reset')
              }}
            >
              {t('sandboxResetConfirmButton')}
            </button>
          </div>
        </div>
      )}
      <FailureRate key={status?.failureRate} current={status?.failureRate ?? 0} disabled={busy} onApply={(percent) => void runWith(percent)} />
      {testError && (
        <p role="alert" className="banner error">
          {testError}
        </p>
      )}
      {test && <TestResults result={test} />}
    </section>
  )
}

/** How often the simulated vehicles fail on purpose: raise it to watch a threshold pause a job. */
function FailureRate({ current, disabled, onApply }: { current: number; disabled: boolean; onApply(percent: number): void }) {
  const t = useT()
  const id = useId()
  const [percent, setPercent] = useState(String(Math.round(current * 100)))
  const value = Number(percent)
  const valid = percent.trim() !== '' && Number.isFinite(value) && value >= 0 && value <= 50
  return (
    <div className="row failure-rate">
      <div className="field">
        <label htmlFor={id}>{t('sandboxFailureRate')}</label>
        <input
          id={id}
          type="number"
          min={0}
          max={50}
          value={percent}
          onChange={(e) => setPercent(e.target.value)}
          aria-describedby={`${id}-hint`}
          aria-invalid={valid ? undefined : true}
        />
        <span id={`${id}-hint`} className="hint">
          {t('sandboxFailureRateHint', { now: Math.round(current * 100) })}
        </span>
      </div>
      <div className="actions">
        <button type="button" disabled={disabled || !valid || value === Math.round(current * 100)} onClick={() => onApply(value)}>
          {t('sandboxApplyFailureRate')}
        </button>
      </div>
    </div>
  )
}
