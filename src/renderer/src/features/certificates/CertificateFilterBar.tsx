import { CertificateHolderKind, CertificateState } from '../../../../shared/fleet/certificates'
import { SIGNATURES } from '../../../../shared/security-profiles'
import { useT, type MessageKey } from '../../i18n'
import { useFields } from '../../store/fields'
import { stateKey } from './certificate-labels'
import { hasFilters, useCertificates } from './certificates-store'

const SORTS = ['notAfter', 'issuedAt', 'holder'] as const
const ORDERS = ['asc', 'desc'] as const

/** Search, state, holder, algorithm, what counts as expiring, and the sort; every change applies on its own. */
export function CertificateFilterBar({ disabled }: { disabled: boolean }) {
  const t = useT()
  const { filters, setFilters, clearFilters } = useFields(useCertificates, 'filters', 'setFilters', 'clearFilters')
  return (
    <form role="search" aria-label={t('certFilters')} className="filter-bar cert-filters" onSubmit={(e) => e.preventDefault()}>
      <fieldset disabled={disabled}>
        <div className="field cert-search">
          <label htmlFor="cert-q">{t('certSearch')}</label>
          <input id="cert-q" type="search" value={filters.q ?? ''} placeholder={t('certSearchHint')} maxLength={64} onChange={(e) => setFilters({ q: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor="cert-state">{t('certState')}</label>
          <select id="cert-state" value={filters.state ?? ''} onChange={(e) => setFilters({ state: (e.target.value || undefined) as CertificateState | undefined })}>
            <option value="">{t('certAnyState')}</option>
            {CertificateState.options.map((s) => (
              <option key={s} value={s}>
                {t(stateKey(s))}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cert-holder">{t('certHolderKind')}</label>
          <select
            id="cert-holder"
            value={filters.holderKind ?? ''}
            onChange={(e) => setFilters({ holderKind: (e.target.value || undefined) as CertificateHolderKind | undefined })}
          >
            <option value="">{t('certAnyHolder')}</option>
            {CertificateHolderKind.options.map((k) => (
              <option key={k} value={k}>
                {t(`certHolder_${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cert-alg">{t('certAlgorithm')}</label>
          <select id="cert-alg" value={filters.algorithm ?? ''} onChange={(e) => setFilters({ algorithm: e.target.value || undefined })}>
            <option value="">{t('certAnyAlgorithm')}</option>
            {Object.keys(SIGNATURES).map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field cert-days">
          <label htmlFor="cert-days">{t('certExpiringDays')}</label>
          <input
            id="cert-days"
            type="number"
            min={1}
            max={365}
            value={filters.expiringDays}
            onChange={(e) => {
              const days = Math.round(Number(e.target.value))
              if (days >= 1 && days <= 365) setFilters({ expiringDays: days })
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="cert-sort">{t('certSort')}</label>
          <select id="cert-sort" value={filters.sort} onChange={(e) => setFilters({ sort: e.target.value as (typeof SORTS)[number] })}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`certSort_${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="cert-order">{t('certOrder')}</label>
          <select id="cert-order" value={filters.order} onChange={(e) => setFilters({ order: e.target.value as (typeof ORDERS)[number] })}>
            {ORDERS.map((o) => (
              <option key={o} value={o}>
                {t(`certOrder_${o}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="cert-clear" disabled={!hasFilters(filters)} onClick={clearFilters}>
          {t('certClear')}
        </button>
      </fieldset>
    </form>
  )
}
