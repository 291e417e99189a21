import { useEffect, useState } from 'react'
import type { DeviceCertificateView } from '../../../../shared/fleet/certificates'
import { SavedViews } from '../../components/SavedViews'
import { useT } from '../../i18n'
import { useFields } from '../../store/fields'
import { useAsker, usePermission } from '../../store/session'
import { CertificateCounts, ExpiryChart } from './CertificateOverview'
import { CertificateFilterBar } from './CertificateFilterBar'
import { CertificateTable } from './CertificateTable'
import { shortSerial } from './certificate-labels'
import { filtersKey, hasFilters, useCertificates } from './certificates-store'
import { RevokeDialog } from './RevokeDialog'
import './certificates.css'

/** Typing settles for this long before the backend is asked again. */
const DEBOUNCE_MS = 300

type Notice = { tone: 'ok' | 'error'; text: string }

export function CertificatesScreen() {
  const t = useT()
  const read = usePermission('certificate.read')
  const revokePerm = usePermission('certificate.revoke')
  const renewPerm = usePermission('certificate.renew')
  const { session, signedIn } = useAsker()
  const store = useFields(
    useCertificates,
    'filters',
    'certificates',
    'nextCursor',
    'loaded',
    'loading',
    'loadingMore',
    'shownFor',
    'error',
    'summary',
    'views',
    'viewId',
    'setFilters',
    'load',
    'loadMore',
    'loadSummary',
    'loadViews',
    'saveView',
    'deleteView',
    'applyView',
    'revoke',
    'requestRenewal'
  )
  const { filters, certificates, nextCursor, loaded, loading, loadingMore, shownFor, error, summary, load, loadSummary, loadViews } = store
  const [revoking, setRevoking] = useState<DeviceCertificateView>()
  const [notice, setNotice] = useState<Notice>()
  const key = filtersKey(filters)
  const busy = loading || (loaded && shownFor !== key)

  useEffect(() => {
    if (signedIn) void loadViews()
  }, [signedIn, loadViews])
  useEffect(() => {
    if (!signedIn) return
    const timer = setTimeout(() => void load(), DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [signedIn, key, load])
  useEffect(() => {
    if (signedIn) void loadSummary()
  }, [signedIn, filters.expiringDays, loadSummary])

  const renew = async (c: DeviceCertificateView) => {
    const failed = await store.requestRenewal(c.serial)
    setNotice(failed ? { tone: 'error', text: failed } : { tone: 'ok', text: t('certRenewAsked', { holder: c.holder }) })
  }

  return (
    <section className="panel wide certificates" aria-labelledby="cert-heading">
      <div className="cert-head">
        <h1 id="cert-heading">{t('certTitle')}</h1>
        <button type="button" disabled={!read.allowed || loading} title={read.reason} onClick={() => void Promise.all([load(), loadSummary()])}>
          {t('refresh')}
        </button>
      </div>
      <p className="hint">{t('certIntro')}</p>
      {session === 'none' && <p className="banner warning">{t('notConnected')}</p>}
      {summary && (
        <div className="cert-overview">
          <CertificateCounts summary={summary} current={filters.state} onPick={(state) => store.setFilters({ state })} />
          <ExpiryChart summary={summary} />
        </div>
      )}
      <CertificateFilterBar disabled={!signedIn} />
      <SavedViews
        idPrefix="cert"
        views={store.views}
        viewId={store.viewId}
        onApply={store.applyView}
        onSave={store.saveView}
        onDelete={(id) => void store.deleteView(id)}
        deleteMessage={(name) => t('certDeleteViewConfirm', { name })}
      />
      {notice && (
        <p role={notice.tone === 'error' ? 'alert' : 'status'} className={`banner ${notice.tone === 'error' ? 'error' : 'ok'}`}>
          {notice.text}
        </p>
      )}
      {error && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {error}
        </p>
      )}
      {signedIn && !loaded && <p role="status">{t('loading')}</p>}
      {loaded && !busy && certificates.length === 0 && !error && <p className="empty">{hasFilters(filters) ? t('certNoMatch') : t('certEmpty')}</p>}
      {certificates.length > 0 && (
        <>
          <CertificateTable
            certificates={certificates}
            expiringDays={filters.expiringDays}
            busy={busy}
            actions={{
              revoke: { ...revokePerm, run: (c) => setRevoking(c) },
              renew: { ...renewPerm, run: (c) => void renew(c) }
            }}
          />
          <div className="cert-foot">
            <p role="status" aria-live="polite">
              {busy ? t('loading') : nextCursor === null ? t('certShowingAll', { count: certificates.length }) : t('certShowing', { count: certificates.length })}
            </p>
            {nextCursor !== null && !busy && (
              <button type="button" disabled={loadingMore} onClick={() => void store.loadMore()}>
                {loadingMore ? t('loading') : t('certLoadMore')}
              </button>
            )}
          </div>
        </>
      )}
      {revoking && (
        <RevokeDialog
          holder={revoking.holder}
          holderKind={revoking.holderKind}
          onCancel={() => setRevoking(undefined)}
          onRevoke={async (reason, comment) => {
            const failed = await store.revoke(revoking.serial, reason, comment)
            if (failed) return failed
            setNotice({ tone: 'ok', text: t('certRevoked', { holder: revoking.holder, serial: shortSerial(revoking.serial) }) })
            setRevoking(undefined)
          }}
        />
      )}
    </section>
  )
}
