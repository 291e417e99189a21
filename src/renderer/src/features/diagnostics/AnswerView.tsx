import type { DecodedAnswer } from '../../../../shared/calls/uds-session'
import { useT, type MessageKey } from '../../i18n'
import { spacedHex } from './diagnostics-form'

const byte = (n: number) => n.toString(16).toUpperCase().padStart(2, '0')

/**
 * What an ECU answered, as a diagnostician reads it: DID values by name, DTCs with their status
 * bits, a refusal by its NRC's name, or why there was no answer.
 */
export function AnswerView({ decoded, error, response }: { decoded: DecodedAnswer | null; error: { code: string; message: string } | null; response: string | null }) {
  const t = useT()
  if (error || !decoded) return <p className="dx-failed">{t('dxNoAnswer', { message: error?.message ?? '' })}</p>
  switch (decoded.kind) {
    case 'none':
      return <p className="hint">{t('dxSuppressed')}</p>
    case 'undecoded':
      return (
        <p className="dx-failed">
          {t('dxUndecoded', { reason: decoded.reason })} <code>{spacedHex(response ?? '')}</code>
        </p>
      )
    case 'negative':
      return (
        <p className="dx-nrc">
          {t('dxRefused', { sid: byte(decoded.requestSid), nrc: byte(decoded.nrc) })} <strong>{decoded.name}</strong> — {decoded.description}
        </p>
      )
    case 'positive':
      return (
        <div className="dx-positive">
          <p>{decoded.summary}</p>
          {decoded.dids && decoded.dids.length > 0 && <DidTable dids={decoded.dids} />}
          {decoded.dtcs && <DtcTable dtcs={decoded.dtcs} />}
        </div>
      )
  }
}

function DidTable({ dids }: { dids: NonNullable<Extract<DecodedAnswer, { kind: 'positive' }>['dids']> }) {
  const t = useT()
  return (
    <table className="dx-table" aria-label={t('dxDids')}>
      <thead>
        <tr>
          <th scope="col">{t('dxDid')}</th>
          <th scope="col">{t('dxDidName')}</th>
          <th scope="col">{t('dxDidValue')}</th>
          <th scope="col">{t('dxDidHex')}</th>
        </tr>
      </thead>
      <tbody>
        {dids.map((d, i) => (
          <tr key={`${d.did}-${i}`}>
            <td>
              <code>{d.did}</code>
            </td>
            <td>{d.name}</td>
            <td className="dx-value">{d.value ?? '—'}</td>
            <td>
              <code>{spacedHex(d.hex)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function DtcTable({ dtcs }: { dtcs: NonNullable<Extract<DecodedAnswer, { kind: 'positive' }>['dtcs']> }) {
  const t = useT()
  if (dtcs.length === 0) return <p className="empty">{t('dxNoDtcs')}</p>
  return (
    <table className="dx-table" aria-label={t('dxDtcs')}>
      <thead>
        <tr>
          <th scope="col">{t('dxDtc')}</th>
          <th scope="col">{t('dxDtcStatus')}</th>
          <th scope="col">{t('dxDtcBits')}</th>
        </tr>
      </thead>
      <tbody>
        {dtcs.map((d) => (
          <tr key={d.dtc}>
            <td>
              <code>{d.code}</code>
            </td>
            <td>
              <code>{byte(d.status)}</code>
            </td>
            <td>
              <ul className="dx-bits" aria-label={t('dxDtcBitsOf', { code: d.code })}>
                {d.statusBits.map((bit) => (
                  <li key={bit} className={`dx-bit dx-bit-${bit}`} title={bit}>
                    {t(`dtcBit_${bit}` as MessageKey)}
                  </li>
                ))}
              </ul>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
