import { useEffect, useRef } from 'react'
import { useShallow } from 'zustand/react/shallow'
import type { VehicleDetail } from '../../../../shared/fleet/registry'
import { FailureCause } from '../../../../shared/protocol/messages'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { VehicleCertificates } from '../certificates/VehicleCertificates'
import { EcuTree } from './EcuTree'
import { useFleet } from './fleet-store'
import { VehicleChannel } from './VehicleChannel'
import { VehicleEvidence } from './VehicleEvidence'
import { VehicleConfiguration } from './VehicleConfiguration'

const STEPS = new Set(['accepted', 'rejected', 'downloading', 'verifying', 'decompressing', 'installing', 'rebooting', 'done', 'failed', 'canceled'])

/** A step's progress as a bar; the number beside it is the text. */
function PercentBar({ percent, failed }: { percent: number; failed: boolean }) {
  return (
    <svg className="fleet-percent" width="80" height="8" aria-hidden="true">
      <rect width="80" height="8" rx="4" className="track" />
      <rect width={(Math.max(0, Math.min(100, percent)) / 100) * 80} height="8" rx="4" className={failed ? 'bad' : 'good'} />
    </svg>
  )
}

function Histories({ vehicle }: { vehicle: VehicleDetail }) {
  const t = useT()
  const format = useFormat()
  const cause = (c: string | null) => (c === null ? '' : FailureCause.safeParse(c).success ? t(`fail_${c}` as MessageKey) : c)
  const step = (s: string) => (STEPS.has(s) ? t(`fleetStep_${s}` as MessageKey) : s)
  return (
    <>
      <section aria-labelledby="fleet-versions-heading">
        <h2 id="fleet-versions-heading">{t('fleetVersionHistory')}</h2>
        {vehicle.versionHistory.length === 0 ? (
          <p className="empty">{t('fleetNoVersionHistory')}</p>
        ) : (
          <table className="fleet-history" aria-labelledby="fleet-versions-heading">
            <thead>
              <tr>
                <th scope="col">{t('fleetWhen')}</th>
                <th scope="col">{t('fleetEcu')}</th>
                <th scope="col">{t('fleetFrom')}</th>
                <th scope="col">{t('fleetTo')}</th>
              </tr>
            </thead>
            <tbody>
              {vehicle.versionHistory.map((h, i) => (
                <tr key={i}>
                  <td>{format.dateTime(h.at)}</td>
                  <td>{h.ecu}</td>
                  <td>{h.from ?? t('fleetFactory')}</td>
                  <td>{h.to}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="fleet-updates-heading">
        <h2 id="fleet-updates-heading">{t('fleetUpdateHistory')}</h2>
        {vehicle.updateHistory.length === 0 ? (
          <p className="empty">{t('fleetNoUpdateHistory')}</p>
        ) : (
          <table className="fleet-history" aria-labelledby="fleet-updates-heading">
            <thead>
              <tr>
                <th scope="col">{t('fleetWhen')}</th>
                <th scope="col">{t('fleetEcu')}</th>
                <th scope="col">{t('fleetVersion')}</th>
                <th scope="col">{t('fleetStep')}</th>
                <th scope="col">{t('fleetProgress')}</th>
                <th scope="col">{t('fleetCause')}</th>
              </tr>
            </thead>
            <tbody>
              {vehicle.updateHistory.map((u, i) => (
                <tr key={i} className={u.step === 'failed' ? 'failed' : undefined}>
                  <td>{format.dateTime(u.at)}</td>
                  <td>{u.ecu}</td>
                  <td>{u.version}</td>
                  <td>{step(u.step)}</td>
                  <td className="fleet-progress-cell">
                    <PercentBar percent={u.percent} failed={u.step === 'failed'} /> {u.percent}%
                  </td>
                  <td>{cause(u.cause)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  )
}

/** One vehicle: its facts, ECU tree, version and update history; Back returns to the table as it was. */
export function VehiclePage() {
  const t = useT()
  const format = useFormat()
  const { vehicle, openVehicle, active, closeVehicle } = useFleet(
    useShallow((s) => ({ vehicle: s.vehicle, openVehicle: s.openVehicle, active: s.active, closeVehicle: s.closeVehicle }))
  )
  const back = useRef<HTMLButtonElement>(null)
  useEffect(() => back.current?.focus(), [])
  if (!vehicle) return null
  const data = vehicle.data
  const v = data?.vehicle
  return (
    <section className="panel wide fleet-vehicle" aria-labelledby="fleet-vehicle-heading">
      <button ref={back} type="button" className="link" onClick={closeVehicle}>
        {t('fleetBack')}
      </button>
      <h1 id="fleet-vehicle-heading">{t('fleetVehicleTitle', { vin: vehicle.vin })}</h1>
      {vehicle.error && (
        <div role="alert" className="banner error">
          {vehicle.error}{' '}
          <button type="button" className="link" onClick={() => void openVehicle(vehicle.vin, active)}>
            {t('retryNow')}
          </button>
        </div>
      )}
      {!data && !vehicle.error && <p role="status">{t('loading')}</p>}
      {data?.stale && <p className="stale">{t('stale', { at: format.dateTime(data.fetchedAt) })}</p>}
      {v && (
        <>
          <dl className="fleet-facts">
            <div>
              <dt>{t('fleetColModel')}</dt>
              <dd>{v.model}</dd>
            </div>
            <div>
              <dt>{t('fleetColRegion')}</dt>
              <dd>{v.region}</dd>
            </div>
            {v.timeZone && (
              <div>
                <dt>{t('fleetTimeZone')}</dt>
                <dd>{v.timeZone}</dd>
              </div>
            )}
            <div>
              <dt>{t('fleetColStatus')}</dt>
              <dd>
                <span className={`fleet-dot ${v.online ? 'on' : 'off'}`} aria-hidden="true" />
                {v.online ? t('fleetOnline') : t('fleetOffline')}
              </dd>
            </div>
            <div>
              <dt>{t('fleetColLastSeen')}</dt>
              <dd>{v.lastSeen ? format.dateTime(v.lastSeen) : t('fleetNeverSeen')}</dd>
            </div>
            <div>
              <dt>{t('fleetColTags')}</dt>
              <dd>{v.tags.join(', ') || '—'}</dd>
            </div>
          </dl>
          <VehicleChannel vin={v.vin} channel={v.channel ?? null} />
          <section aria-labelledby="fleet-ecus-heading">
            <h2 id="fleet-ecus-heading">{t('fleetEcus')}</h2>
            <EcuTree vehicle={v} />
          </section>
          <VehicleConfiguration vin={v.vin} />
          <Histories vehicle={v} />
          <VehicleCertificates vin={v.vin} lastRefusal={v.lastRefusal} />
          <VehicleEvidence vin={v.vin} />
        </>
      )}
    </section>
  )
}
