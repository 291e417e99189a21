import { useT } from '../i18n'
import { useSession } from '../store/session'
import { useFields } from '../store/fields'

/** One line that always says where the console stands with its backend, and whether data is live. */
export function SessionBar() {
  const t = useT()
  const { status, refresh } = useFields(useSession, 'status', 'refresh')
  if (!status || status.backend === 'none')
    return (
      <p className="session-bar" role="status">
        {t('sessionNone')}
      </p>
    )
  const name = status.profileName ?? ''
  const text =
    status.backend === 'ok'
      ? t('sessionOk', { name, user: status.identity?.name ?? '', role: status.identity?.role ?? '' })
      : status.backend === 'checking'
        ? t('sessionChecking', { name })
        : status.backend === 'auth-rejected'
          ? t('sessionAuthRejected', { name })
          : t('sessionUnreachable', { name })
  const problem = status.backend === 'unreachable' || status.backend === 'auth-rejected'
  return (
    <div className={`session-bar${problem ? ' problem' : ''}`} role="status" aria-live="polite">
      <span>{text}</span>
      {status.backend === 'ok' && <span className={`live live-${status.live}`}>{t(`live_${status.live}`)}</span>}
      {status.message && <span className="detail">{status.message}</span>}
      {problem && (
        <button type="button" className="link" onClick={() => void refresh()}>
          {t('retryNow')}
        </button>
      )}
    </div>
  )
}
