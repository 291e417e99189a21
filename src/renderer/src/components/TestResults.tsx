import type { ConnectionTestResult, ProbeResult, TlsSummary } from '../../../shared/profile'
import { useT, type MessageKey } from '../i18n'

/** The handshake's outcome in one line, and the verdict people look for: quantum-safe or classical. */
function TlsLine({ tls }: { tls: TlsSummary }) {
  const t = useT()
  return (
    <span className={tls.quantumSafe ? 'tls quantum-safe' : 'tls classical'}>
      {tls.version} · {t('tlsGroup')} {tls.group ?? '—'} · {t('tlsCertificate')} {tls.certificateSignature ?? '—'} ·{' '}
      <strong>{tls.quantumSafe ? t('tlsQuantumSafe') : t('tlsClassical')}</strong>
    </span>
  )
}

function ProbeRow({ label, probe }: { label: string; probe: ProbeResult }) {
  const t = useT()
  const verdict = probe.ok ? t('pass') : `${t('fail')}: ${t(`cause_${probe.cause}` as MessageKey)}`
  return (
    <li className={probe.ok ? 'probe pass' : 'probe fail'}>
      <strong>{label}</strong> <span className="verdict">{verdict}</span>
      <span className="detail">
        {probe.detail} · {probe.ms} ms
      </span>
      {probe.tls && <TlsLine tls={probe.tls} />}
    </li>
  )
}

export function TestResults({ result }: { result: ConnectionTestResult }) {
  const t = useT()
  return (
    <section aria-label={t('testResults')} aria-live="polite" className="test-results">
      <h2>{t('testResults')}</h2>
      <ul>
        <ProbeRow label={t('probeHttps')} probe={result.https} />
        <ProbeRow label={t('probeMqtt')} probe={result.mqtt} />
      </ul>
    </section>
  )
}
