import { useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { hexAddress } from '../../../../shared/uds-client'
import { useT } from '../../i18n'
import { AnswerView } from '../diagnostics/AnswerView'
import { DEFAULT_SERVICE, serviceOperation, spacedHex, type ServiceForm } from '../diagnostics/diagnostics-form'
import { operationText, problemText } from '../diagnostics/operation-text'
import { ServiceFields } from '../diagnostics/ServiceFields'
import { useWorkshop } from './workshop-store'
import { useWorkshopPermission } from './workshop-permission'

/** One service to one ECU of the connected vehicle, the same catalog as Diagnostics, answers decoded. */
export function DiagnosePanel() {
  const t = useT()
  const id = useId()
  const w = useWorkshop(useShallow((s) => ({ ecus: s.ecus, entity: s.session?.entityAddress ?? 0x0e00, sent: s.sent, sending: s.sending, send: s.send })))
  const perm = useWorkshopPermission('diag.run')
  const [target, setTarget] = useState<number | null>(null)
  const [service, setService] = useState<ServiceForm>(DEFAULT_SERVICE)
  const [problem, setProblem] = useState<string | null>(null)
  const chosen = target ?? w.entity
  const submit = () => {
    const parsed = serviceOperation(service)
    if ('problem' in parsed) return setProblem(problemText(t, { key: parsed.problem, vars: { did: parsed.detail ?? '' } }))
    setProblem(null)
    void w.send(chosen, parsed.operation)
  }
  return (
    <section aria-labelledby="ws-diagnose">
      <h2 id="ws-diagnose">{t('wsDiagnose')}</h2>
      <div className="field ws-target">
        <label htmlFor={`${id}-target`}>{t('wsTarget')}</label>
        <select id={`${id}-target`} value={chosen} onChange={(e) => setTarget(Number(e.target.value))}>
          {(w.ecus.length > 0 ? w.ecus : [{ ecu: 'GATEWAY', address: w.entity }]).map((e) => (
            <option key={e.address} value={e.address}>
              {`${e.ecu ?? hexAddress(e.address)} (${hexAddress(e.address)})`}
            </option>
          ))}
        </select>
      </div>
      <ServiceFields value={service} onChange={(patch) => setService({ ...service, ...patch })} />
      <div className="actions">
        <button type="button" className="primary" disabled={!perm.allowed || w.sending} title={perm.reason} onClick={submit}>
          {w.sending ? t('wsSending') : t('wsSend')}
        </button>
      </div>
      {problem && (
        <p role="alert" className="banner error">
          {problem}
        </p>
      )}
      {w.sent.length > 0 && (
        <ol className="ws-sent" aria-label={t('wsAnswers')}>
          {w.sent.map((s) => (
            <li key={s.id}>
              <p className="ws-sent-head">
                <strong>{s.ecu ?? hexAddress(s.target)}</strong> ({hexAddress(s.target)}) ← <code>{s.answer ? spacedHex(s.answer.request) : operationText(t, s.operation)}</code>
                {s.answer && ` · ${Math.round(s.answer.elapsedMs)} ms`}
              </p>
              {s.answer ? (
                <AnswerView decoded={s.answer.decoded} error={null} response={s.answer.response} />
              ) : (
                <p role="alert" className="dx-failed">
                  {t('wsRequestFailed', { message: s.error ?? '' })}
                </p>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
