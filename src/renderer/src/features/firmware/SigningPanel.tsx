import type { SigningStatus, TargetChange } from '../../../../shared/calls/firmware'
import { useFormat, useT } from '../../i18n'
import { usePermission } from '../../store/session'
import { KeyBackup } from './KeyBackup'
import { useFirmware } from './firmware-store'
import { useFields } from '../../store/fields'

const short = (id: string | null) => (id ? `${id.slice(0, 12)}…` : '—')
const RENEW_BEFORE_MS = 14 * 86_400_000

/** Who signs the list of firmware vehicles may install, what waits for a signature, and the key. */
export function SigningPanel() {
  const t = useT()
  const { signing, signingError, signingAt, busy, register, sign } = useFields(useFirmware, 'signing', 'signingError', 'signingAt', 'busy', 'register', 'sign')
  const rotate = usePermission('tuf.rotate')
  const mayRelease = usePermission('release.sign')

  return (
    <section className="panel wide fw-signing" aria-labelledby="fw-signing-title">
      <h2 id="fw-signing-title">{t('fwSigningTitle')}</h2>
      <p className="hint">{t('fwSigningWhy')}</p>
      {signingError && (
        <p role="alert" className="banner error">
          {signingError}
        </p>
      )}
      {signing && <SignerState status={signing} />}
      {signing?.signer === 'other' && (
        <div className="actions">
          <button type="button" className="primary" disabled={!rotate.allowed || busy === 'register'} title={rotate.reason} onClick={() => void register()}>
            {busy === 'register' ? t('fwRegistering') : t('fwRegister')}
          </button>
          {!rotate.allowed && <span className="hint">{t('fwRegisterAdminOnly')}</span>}
        </div>
      )}
      {signing?.signer === 'console' && signing.pending && signing.fingerprint && (
        <Pending
          changes={signing.pending}
          expiresSoon={!!signing.targets && !!signingAt && Date.parse(signing.targets.expires) - signingAt < RENEW_BEFORE_MS}
          allowed={mayRelease}
          busy={busy === 'sign'}
          onSign={() => void sign(signing.fingerprint!)}
        />
      )}
      {signing && <KeyBackup status={signing} />}
    </section>
  )
}

function SignerState({ status }: { status: SigningStatus }) {
  const t = useT()
  const format = useFormat()
  if (status.signer === 'unknown') return <p className="banner warning">{t('fwSignerUnknown', { reason: status.message ?? '' })}</p>
  if (status.signer === 'other') return <p className="banner warning">{t('fwSignerOther', { keyid: short(status.trustedKeyId) })}</p>
  return (
    <p className="banner ok" role="status">
      {t('fwSignerConsole', {
        keyid: short(status.trustedKeyId),
        version: String(status.targets?.version ?? ''),
        expires: status.targets ? format.date(status.targets.expires) : ''
      })}
    </p>
  )
}

function Pending({
  changes,
  expiresSoon,
  allowed,
  busy,
  onSign
}: {
  changes: TargetChange[]
  expiresSoon: boolean
  allowed: { allowed: boolean; reason?: string }
  busy: boolean
  onSign(): void
}) {
  const t = useT()
  if (changes.length === 0 && !expiresSoon) return null
  return (
    <div className="fw-pending" aria-labelledby="fw-pending-title">
      <h3 id="fw-pending-title">{changes.length ? t('fwPendingTitle', { n: changes.length }) : t('fwRenewTitle')}</h3>
      {changes.length > 0 && (
        <ul aria-label={t('fwPendingList')}>
          {changes.map((c) => (
            <li key={c.path}>
              <strong>{t(`fwChange_${c.kind}`)}</strong> {c.path}
              {c.imageSha256 && <span className="fw-mono"> · sha256 {c.imageSha256.slice(0, 16)}…</span>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="primary" disabled={!allowed.allowed || busy} title={allowed.reason} onClick={onSign}>
        {busy ? t('fwSigning') : changes.length ? t('fwSignPending', { n: changes.length }) : t('fwRenew')}
      </button>
    </div>
  )
}
