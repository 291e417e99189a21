import { useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { FLASH_PHASES, hexAddress } from '../../../../shared/uds-client'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useFormat, useT } from '../../i18n'
import { useApp } from '../../store/app'
import { useFlash, type FlashView } from './flash-store'
import { useWorkshop } from './workshop-store'
import { useWorkshopPermission } from './workshop-permission'

/** Flash one ECU from an imported bundle: choose, confirm, then follow every step to the version read back. */
export function FlashPanel({ target, onTarget }: { target: number | null; onTarget(address: number): void }) {
  const t = useT()
  const format = useFormat()
  const id = useId()
  const show = useApp((s) => s.show)
  const perm = useWorkshopPermission('diag.flash')
  const w = useWorkshop(useShallow((s) => ({ session: s.session!, ecus: s.ecus, bundles: s.bundles })))
  const { flash, start } = useFlash(useShallow((s) => ({ flash: s.flash, start: s.start })))
  const [bundleId, setBundleId] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const flashable = w.ecus.filter((e) => e.ecu && e.ecu !== 'GATEWAY')
  const ecu = flashable.find((e) => e.address === target) ?? null
  // Until the user picks one: the first bundle with a release for the ECU.
  const bundle = w.bundles.find((b) => b.bundleId === bundleId) ?? w.bundles.find((b) => b.releases.some((r) => r.ecu === ecu?.ecu)) ?? w.bundles[0] ?? null
  const release = ecu && bundle ? (bundle.releases.find((r) => r.ecu === ecu.ecu) ?? null) : null
  const busy = flash?.state === 'starting' || flash?.state === 'running'
  const vin = w.session.vin ?? ''
  return (
    <section aria-labelledby="ws-flash">
      <h2 id="ws-flash">{t('wsFlashTitle')}</h2>
      {w.bundles.length === 0 ? (
        <div className="empty">
          <p>{t('wsNoBundle', { vin })}</p>
          <button type="button" className="link" onClick={() => show('bundles')}>
            {t('wsGoBundles')}
          </button>
        </div>
      ) : (
        <>
          <div className="row">
            <div className="field">
              <label htmlFor={`${id}-ecu`}>{t('wsFlashEcuField')}</label>
              <select id={`${id}-ecu`} value={ecu?.address ?? ''} disabled={busy} onChange={(e) => onTarget(Number(e.target.value))}>
                <option value="" disabled>
                  {t('wsChooseEcu')}
                </option>
                {flashable.map((e) => (
                  <option key={e.address} value={e.address}>{`${e.ecu} (${hexAddress(e.address)}) ${e.software ?? ''}`}</option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-bundle`}>{t('wsBundleField')}</label>
              <select id={`${id}-bundle`} value={bundle?.bundleId ?? ''} disabled={busy} onChange={(e) => setBundleId(e.target.value)}>
                {w.bundles.map((b) => (
                  <option key={b.bundleId} value={b.bundleId}>
                    {`${b.job} — ${b.bundleId}${b.expired ? ` (${t('wsExpired')})` : ''}: ${b.releases.map((r) => `${r.ecu} ${r.version}`).join(', ')}`}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {ecu && bundle && (
            <p className={release ? 'hint' : 'banner warning'}>
              {release
                ? t('wsRelease', {
                    version: release.version,
                    ecu: ecu.ecu!,
                    model: release.model,
                    size: format.bytes(release.imageLength),
                    sha: release.imageSha256.slice(0, 12),
                    hardware: release.hardware.join(', ')
                  })
                : t('wsNoRelease', { ecu: ecu.ecu!, bundle: bundle.bundleId })}
            </p>
          )}
          <div className="actions">
            <button type="button" className="primary" disabled={!perm.allowed || busy || !ecu || !bundle} title={perm.reason} onClick={() => setConfirming(true)}>
              {t('wsFlashStart')}
            </button>
          </div>
          <p className="hint">{t('wsAbortNote')}</p>
        </>
      )}
      {confirming && ecu && bundle && (
        <ConfirmDialog
          message={t('wsFlashConfirm', { ecu: ecu.ecu!, vin, version: release?.version ?? '?', bundle: bundle.bundleId })}
          confirmLabel={t('wsFlashConfirmButton')}
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false)
            void start({ session: w.session.session, target: ecu.address, ecu: ecu.ecu!, bundleId: bundle.bundleId, version: release?.version ?? null })
          }}
        />
      )}
      {flash && flash.session === w.session.session && <FlashProgress flash={flash} />}
    </section>
  )
}

function FlashProgress({ flash }: { flash: FlashView }) {
  const t = useT()
  const format = useFormat()
  const { abort, dismiss } = useFlash(useShallow((s) => ({ abort: s.abort, dismiss: s.dismiss })))
  const p = flash.progress
  const running = flash.state === 'starting' || flash.state === 'running'
  const current = flash.seen.at(-1)
  const stepState = (step: (typeof FLASH_PHASES)[number]) => {
    if (flash.state === 'succeeded') return 'done'
    if (step === current) return running ? 'current' : flash.state === 'refused' ? 'pending' : 'stopped'
    return flash.seen.includes(step) ? 'done' : 'pending'
  }
  return (
    <div className="ws-flash-run" aria-labelledby="ws-flash-run-heading">
      <h3 id="ws-flash-run-heading">{t('wsFlashing', { ecu: flash.ecu, version: flash.version ?? '?' })}</h3>
      <ol className="ws-steps" aria-label={t('wsSteps')}>
        {FLASH_PHASES.map((step) => {
          const state = stepState(step)
          return (
            <li key={step} className={`ws-step ws-step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span aria-hidden="true">{state === 'done' ? '✓' : state === 'current' ? '▶' : state === 'stopped' ? '✗' : '·'}</span> {t(`wsStep_${step}`)}
              <span className="ws-step-state"> — {t(`wsStepState_${state}`)}</span>
            </li>
          )
        })}
      </ol>
      {p && (
        <div className="ws-progress">
          <progress max={100} value={p.percent} aria-label={t('wsFlashProgress')} />
          <span role="status">
            {t('wsFlashNumbers', { percent: Math.floor(p.percent), sent: format.bytes(p.bytesSent), total: format.bytes(p.bytesTotal), speed: format.rate(p.bytesPerSecond) })}
            {running && p.etaSeconds !== null && ` · ${t('wsEta', { seconds: Math.ceil(p.etaSeconds) })}`}
          </span>
        </div>
      )}
      {running && (
        <div className="ws-abort">
          <button type="button" className="danger" disabled={!flash.flashId || flash.aborting} onClick={() => void abort()}>
            {flash.aborting ? t('wsAborting') : t('wsAbort')}
          </button>
        </div>
      )}
      {flash.state === 'succeeded' && p && (
        <p role="status" className="banner ok">
          {t('wsFlashDone', { ecu: flash.ecu, before: p.versionBefore ?? '?', after: p.versionAfter ?? '?', seconds: (p.elapsedMs / 1000).toFixed(1) })}
        </p>
      )}
      {flash.state === 'aborted' && (
        <p role="status" className="banner warning">
          {t('wsFlashAborted', { ecu: flash.ecu, message: flash.message ?? '' })}
        </p>
      )}
      {flash.state === 'failed' && (
        <p role="alert" className="banner error">
          {t('wsFlashFailed', { ecu: flash.ecu, message: flash.message ?? '' })}
        </p>
      )}
      {flash.state === 'refused' && (
        <p role="alert" className="banner error">
          {t('wsFlashRefused', { message: flash.message ?? '' })}
        </p>
      )}
      {!running && (
        <button type="button" className="link" onClick={dismiss}>
          {t('wsDismiss')}
        </button>
      )}
    </div>
  )
}
