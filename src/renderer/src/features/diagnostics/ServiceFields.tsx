import { useId } from 'react'
import { useT } from '../../i18n'
import { CATALOG_DIDS, didList, STATUS_MASKS, toggleDid, type ServiceForm } from './diagnostics-form'

/** The service to send: a DID read from the catalog, a DTC read by status mask, or raw hex. */
export function ServiceFields({ value, onChange }: { value: ServiceForm; onChange(patch: Partial<ServiceForm>): void }) {
  const t = useT()
  const id = useId()
  const chosen = didList(value.dids)
  return (
    <div className="dx-service">
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('dxService')}</label>
        <select id={`${id}-kind`} value={value.kind} onChange={(e) => onChange({ kind: e.target.value as ServiceForm['kind'] })}>
          <option value="readDids">{t('dxServiceReadDids')}</option>
          <option value="readDtcs">{t('dxServiceReadDtcs')}</option>
          <option value="raw">{t('dxServiceRaw')}</option>
        </select>
      </div>
      {value.kind === 'readDids' && (
        <>
          <div className="field">
            <label htmlFor={`${id}-dids`}>{t('dxDidsField')}</label>
            <input id={`${id}-dids`} value={value.dids} spellCheck={false} autoComplete="off" placeholder="F190 F195" onChange={(e) => onChange({ dids: e.target.value })} />
          </div>
          <ul className="dx-catalog" aria-label={t('dxCatalog')}>
            {CATALOG_DIDS.map((d) => (
              <li key={d.did}>
                <button type="button" className="dx-chip" aria-pressed={chosen.includes(d.did)} onClick={() => onChange({ dids: toggleDid(value.dids, d.did) })}>
                  <code>{d.did}</code> {d.name}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {value.kind === 'readDtcs' && (
        <div className="field">
          <label htmlFor={`${id}-mask`}>{t('dxStatusMask')}</label>
          <select id={`${id}-mask`} value={value.statusMask} onChange={(e) => onChange({ statusMask: Number(e.target.value) })}>
            {STATUS_MASKS.map((m) => (
              <option key={m.mask} value={m.mask}>
                {t(m.key)}
              </option>
            ))}
          </select>
        </div>
      )}
      {value.kind === 'raw' && (
        <div className="field">
          <label htmlFor={`${id}-raw`}>{t('dxRawField')}</label>
          <input
            id={`${id}-raw`}
            className="dx-hex"
            value={value.raw}
            spellCheck={false}
            autoComplete="off"
            placeholder="22 F1 90"
            onChange={(e) => onChange({ raw: e.target.value })}
          />
        </div>
      )}
    </div>
  )
}
