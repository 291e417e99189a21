import { useEffect, useState } from 'react'
import type { ConnectionTestResult } from '../../../shared/profile'
import { SANDBOX_PROFILE_ID } from '../../../shared/sandbox'
import { useT } from '../i18n'
import { ota } from '../ota'
import { useSandbox } from '../store/sandbox'
import { TestResults } from './TestResults'

/** The built-in "Local sandbox": a backend and simulated vehicles on this machine. */
export function SandboxPanel() {
  const t = useT()
  const { status, error, load, run } = useSandbox()
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
        {state === 'running' && ` · ${t('sandboxVehicles', { total: String(status?.vehicles ?? 0), online: String(status?.online ?? 0) })}`}
        {status?.message && ` · ${status.message}`}
      </p>
      {status?.backendUrl && (
        <dl className="facts">
          <dt>{t('backendUrl')}</dt>
          <dd>{status.backendUrl}</dd>
        </dl>
      )}
      {error && <p role="alert" className="banner error">{t('errorPrefix')}: {error}</p>}
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
      {testError && <p role="alert" className="banner error">{testError}</p>}
      {test && <TestResults result={test} />}
    </section>
  )
}
