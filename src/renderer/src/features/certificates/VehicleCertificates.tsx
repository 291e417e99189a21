import { useEffect, useState } from 'react'
import type { DeviceCertificateView } from '../../../../shared/fleet/certificates'
import { useFormat, useT } from '../../i18n'
import { ota } from '../../ota'
import { CertificateState } from './CertificateTable'
import { shortSerial } from './certificate-labels'

/** A vehicle's certificates, newest first, and the last time the backend refused its login, with why. */
export function VehicleCertificates({ vin, lastRefusal }: { vin: string; lastRefusal?: { reason: string; at: string } | null }) {
  const t = useT()
  const format = useFormat()
  const [certificates, setCertificates] = useState<DeviceCertificateView[]>()
  const [error, setError] = useState<string>()
  useEffect(() => {
    let current = true
    void ota.certificates.ofVehicle({ vin }).then((r) => {
      if (!current) return
      if (r.ok) setCertificates(r.value.certificates)
      else setError(r.error.message)
    })
    return () => {
      current = false
    }
  }, [vin])
  return (
    <section aria-labelledby="vehicle-certs-heading">
      <h2 id="vehicle-certs-heading">{t('certHistory')}</h2>
      {lastRefusal && (
        <p role="alert" className="banner warning">
          {t('certLastRefusal', { at: format.dateTime(lastRefusal.at), reason: lastRefusal.reason })}
        </p>
      )}
      {error && (
        <p role="alert" className="banner error">
          {t('errorPrefix')}: {error}
        </p>
      )}
      {certificates?.length === 0 && <p className="empty">{t('certHistoryEmpty')}</p>}
      {certificates && certificates.length > 0 && (
        <table className="fleet-history" aria-labelledby="vehicle-certs-heading">
          <thead>
            <tr>
              <th scope="col">{t('certSerial')}</th>
              <th scope="col">{t('certAlgorithm')}</th>
              <th scope="col">{t('certIssued')}</th>
              <th scope="col">{t('certNotAfter')}</th>
              <th scope="col">{t('certState')}</th>
            </tr>
          </thead>
          <tbody>
            {certificates.map((c) => (
              <tr key={c.serial}>
                <td>
                  <code title={c.serial}>{shortSerial(c.serial)}</code>
                  {c.replaces && <span className="cert-note">{t('certReplaces', { serial: shortSerial(c.replaces) })}</span>}
                </td>
                <td>{c.algorithm}</td>
                <td>{format.dateTime(c.issuedAt)}</td>
                <td>{format.dateTime(c.notAfter)}</td>
                <td>
                  <CertificateState c={c} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
