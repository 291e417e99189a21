import type { DeviceCertificateView } from '../../../../shared/fleet/certificates'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { shortSerial, stateKey, stateOf } from './certificate-labels'

export interface RowActions {
  revoke: { allowed: boolean; reason?: string; run(c: DeviceCertificateView): void }
  renew: { allowed: boolean; reason?: string; run(c: DeviceCertificateView): void }
}

/** A certificate's state, with who revoked it and why, or that a renewal was asked for. */
export function CertificateState({ c, expiringDays }: { c: DeviceCertificateView; expiringDays?: number }) {
  const t = useT()
  const format = useFormat()
  const state = stateOf(c, expiringDays)
  return (
    <>
      <span className={`cert-state state-${state}`}>{t(stateKey(state))}</span>
      {c.revocation && c.revocation.reason !== 'superseded' && (
        <span className="cert-note">
          {t(`certReason_${c.revocation.reason}` as MessageKey)}, {t('certRevokedBy', { by: c.revocation.by, at: format.dateTime(c.revocation.at) })}
          {c.revocation.comment ? `: ${c.revocation.comment}` : ''}
        </span>
      )}
      {!c.revocation && c.renewalRequestedAt && <span className="cert-note">{t('certRenewalRequested', { at: format.dateTime(c.renewalRequestedAt) })}</span>}
    </>
  )
}

/** The certificates: holder, algorithm, serial, validity and state, and what may be done to each. */
export function CertificateTable({
  certificates,
  expiringDays,
  busy,
  actions
}: {
  certificates: DeviceCertificateView[]
  expiringDays: number
  busy: boolean
  actions: RowActions
}) {
  const t = useT()
  const format = useFormat()
  return (
    <div className="cert-table-wrap">
      <table className={`cert-table${busy ? ' cert-busy' : ''}`} aria-label={t('certTable')} aria-busy={busy}>
        <thead>
          <tr>
            <th scope="col">{t('certHolderKind')}</th>
            <th scope="col">{t('certAlgorithm')}</th>
            <th scope="col">{t('certSerial')}</th>
            <th scope="col">{t('certNotAfter')}</th>
            <th scope="col">{t('certState')}</th>
            <th scope="col">{t('certActions')}</th>
          </tr>
        </thead>
        <tbody>
          {certificates.map((c) => {
            const state = stateOf(c, expiringDays)
            const live = state === 'valid' || state === 'expiring'
            return (
              <tr key={c.serial}>
                <th scope="row">
                  {c.holder}
                  <span className="cert-kind">{t(`certHolder_${c.holderKind}` as MessageKey)}</span>
                </th>
                <td>{c.algorithm}</td>
                <td>
                  <code title={c.serial}>{shortSerial(c.serial)}</code>
                </td>
                <td>
                  <time dateTime={c.notAfter} title={c.notAfter}>
                    {format.dateTime(c.notAfter)}
                  </time>
                </td>
                <td className="cert-state-cell">
                  <CertificateState c={c} expiringDays={expiringDays} />
                </td>
                <td className="cert-actions">
                  {live && (
                    <>
                      {c.holderKind === 'vehicle' && (
                        <button
                          type="button"
                          disabled={!actions.renew.allowed}
                          title={actions.renew.reason}
                          aria-label={t('certRenewOf', { holder: c.holder })}
                          onClick={() => actions.renew.run(c)}
                        >
                          {t('certRenew')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="danger"
                        disabled={!actions.revoke.allowed}
                        title={actions.revoke.reason}
                        aria-label={t('certRevokeOf', { holder: c.holder })}
                        onClick={() => actions.revoke.run(c)}
                      >
                        {t('certRevoke')}
                      </button>
                    </>
                  )}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
