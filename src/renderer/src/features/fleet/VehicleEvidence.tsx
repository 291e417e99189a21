import { useState } from 'react'
import { saveFile } from '../../components/save-file'
import { useT } from '../../i18n'
import { ota } from '../../ota'
import { usePermission } from '../../store/session'

/** Saves the vehicle's update record as the backend signed it: what an audit of its software updates asks to see. */
export function VehicleEvidence({ vin }: { vin: string }) {
  const t = useT()
  const perm = usePermission('audit.read')
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string }>()
  const [busy, setBusy] = useState(false)

  const save = async () => {
    setBusy(true)
    const r = await ota.fleet.evidence({ vin })
    setBusy(false)
    if (!r.ok) return setMessage({ tone: 'error', text: r.error.message })
    saveFile([`${JSON.stringify(r.value, null, 2)}\n`], `update-evidence-${vin}.json`, 'application/json')
    setMessage({ tone: 'ok', text: t('fleetEvidenceSaved', { n: r.value.signed.records.length, keyid: r.value.signatures[0]!.keyid.slice(0, 12) }) })
  }

  return (
    <section aria-labelledby="fleet-evidence-heading">
      <h2 id="fleet-evidence-heading">{t('fleetEvidenceTitle')}</h2>
      <p className="hint">{t('fleetEvidenceHint')}</p>
      <button type="button" disabled={!perm.allowed || busy} title={perm.reason} onClick={() => void save()}>
        {t('fleetEvidenceExport')}
      </button>
      {message && (
        <p role={message.tone === 'error' ? 'alert' : 'status'} className={`banner ${message.tone}`}>
          {message.text}
        </p>
      )}
    </section>
  )
}
