import { useEffect, useId, useState } from 'react'
import { useShallow } from 'zustand/react/shallow'
import { hexAddress } from '../../../../shared/uds-client'
import { useT } from '../../i18n'
import { useSandbox } from '../../store/sandbox'
import { FlashPanel } from './FlashPanel'
import { DiagnosePanel } from './DiagnosePanel'
import { useWorkshop } from './workshop-store'
import { useWorkshopPermission } from './workshop-permission'
import './workshop.css'

/** DoIP port of ISO 13400-2. */
const DOIP_PORT = 13400

/** A vehicle on the workshop's network: find it or give its address, see its ECUs, diagnose and flash them. */
export function WorkshopScreen() {
  const t = useT()
  const session = useWorkshop((s) => s.session)
  const [flashTarget, setFlashTarget] = useState<number | null>(null)
  return (
    <section className="panel wide ws-screen" aria-labelledby="ws-heading">
      <h1 id="ws-heading">{t('wsTitle')}</h1>
      <p className="hint">{t('wsIntro')}</p>
      <ConnectPanel />
      {session && (
        <>
          <VehiclePanel onFlash={setFlashTarget} />
          <DiagnosePanel />
          <FlashPanel target={flashTarget} onTarget={setFlashTarget} />
        </>
      )}
    </section>
  )
}

function ConnectPanel() {
  const t = useT()
  const id = useId()
  const w = useWorkshop(
    useShallow((s) => ({
      discovering: s.discovering,
      found: s.found,
      discoverError: s.discoverError,
      connecting: s.connecting,
      connectError: s.connectError,
      discover: s.discover,
      connect: s.connect
    }))
  )
  const [broadcast, setBroadcast] = useState('')
  const [discoverPort, setDiscoverPort] = useState(String(DOIP_PORT))
  // The running sandbox's DoIP vehicle fills the address until the user types one of their own.
  const loadSandbox = useSandbox((s) => s.load)
  useEffect(() => void loadSandbox(), [loadSandbox])
  const sandbox = useSandbox((s) => (s.status?.state === 'running' ? s.status.doip : null))
  const [typedHost, setHost] = useState<string>()
  const [typedPort, setPort] = useState<string>()
  const host = typedHost ?? sandbox?.host ?? ''
  const port = typedPort ?? String(sandbox?.port ?? DOIP_PORT)
  const portOf = (text: string) => Number(text) || DOIP_PORT
  return (
    <section aria-labelledby="ws-connect">
      <h2 id="ws-connect">{t('wsConnect')}</h2>
      {sandbox ? (
        <p className="hint">{t('wsSandboxHint', { vin: sandbox.vin, host: sandbox.host, port: String(sandbox.port) })}</p>
      ) : (
        <p className="hint">
          {t('wsTryHint')} <code>npm run vehicles -- --standalone --doip-port 13400</code>
        </p>
      )}
      <form
        className="row ws-form"
        aria-label={t('wsDiscoverForm')}
        onSubmit={(e) => {
          e.preventDefault()
          void w.discover(broadcast, portOf(discoverPort))
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-bc`}>{t('wsBroadcast')}</label>
          <input id={`${id}-bc`} value={broadcast} placeholder="255.255.255.255" onChange={(e) => setBroadcast(e.target.value)} />
        </div>
        <div className="field ws-port">
          <label htmlFor={`${id}-bcport`}>{t('wsPort')}</label>
          <input id={`${id}-bcport`} type="number" min={1} max={65535} value={discoverPort} onChange={(e) => setDiscoverPort(e.target.value)} />
        </div>
        <button type="submit" disabled={w.discovering}>
          {w.discovering ? t('wsDiscovering') : t('wsDiscover')}
        </button>
      </form>
      {w.discoverError && (
        <p role="alert" className="banner error">
          {w.discoverError}
        </p>
      )}
      {w.found && w.found.length === 0 && <p className="empty">{t('wsNoneFound')}</p>}
      {w.found && w.found.length > 0 && (
        <table className="dx-table" aria-label={t('wsFound')}>
          <thead>
            <tr>
              <th scope="col">{t('wsVin')}</th>
              <th scope="col">{t('wsAddress')}</th>
              <th scope="col">{t('wsEid')}</th>
              <th scope="col">{t('wsWhere')}</th>
              <th scope="col">{t('wsActions')}</th>
            </tr>
          </thead>
          <tbody>
            {w.found.map((v) => (
              <tr key={`${v.host}:${v.port}/${v.eid}`}>
                <td>
                  <code>{v.vin}</code>
                </td>
                <td>{hexAddress(v.logicalAddress)}</td>
                <td>
                  <code>{v.eid}</code>
                </td>
                <td>{`${v.host}:${v.port}`}</td>
                <td>
                  <button type="button" aria-label={t('wsConnectTo', { vin: v.vin })} disabled={w.connecting} onClick={() => void w.connect(v.host, v.port)}>
                    {t('wsConnectButton')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        className="row ws-form"
        aria-label={t('wsByAddress')}
        onSubmit={(e) => {
          e.preventDefault()
          if (host.trim()) void w.connect(host.trim(), portOf(port))
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-host`}>{t('wsHost')}</label>
          <input id={`${id}-host`} value={host} placeholder="192.168.0.10" required onChange={(e) => setHost(e.target.value)} />
        </div>
        <div className="field ws-port">
          <label htmlFor={`${id}-port`}>{t('wsPort')}</label>
          <input id={`${id}-port`} type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
        </div>
        <button type="submit" className="primary" disabled={w.connecting || !host.trim()}>
          {w.connecting ? t('wsConnecting') : t('wsConnectButton')}
        </button>
      </form>
      {w.connectError && (
        <p role="alert" className="banner error">
          {t('wsConnectFailed', { message: w.connectError })}
        </p>
      )}
    </section>
  )
}

function VehiclePanel({ onFlash }: { onFlash(target: number): void }) {
  const t = useT()
  const w = useWorkshop(
    useShallow((s) => ({
      session: s.session!,
      where: s.where,
      link: s.link,
      linkDetail: s.linkDetail,
      ecus: s.ecus,
      source: s.ecuSource,
      identifying: s.identifying,
      disconnect: s.disconnect,
      identify: s.identify,
      send: s.send
    }))
  )
  const run = useWorkshopPermission('diag.run')
  const flash = useWorkshopPermission('diag.flash')
  const vin = w.session.vin ?? t('wsVinUnknown')
  return (
    <section aria-labelledby="ws-vehicle">
      <h2 id="ws-vehicle">{t('wsVehicle', { vin })}</h2>
      <p role="status" className={`ws-link ws-link-${w.link}`}>
        {t(`wsLink_${w.link}`, { where: w.where ?? '', gateway: hexAddress(w.session.entityAddress ?? 0x0e00), detail: w.linkDetail ?? '' })}
      </p>
      <div className="actions">
        <button type="button" onClick={() => void w.identify()} disabled={w.identifying !== null}>
          {t('wsReadEcus')}
        </button>
        <button type="button" onClick={() => void w.disconnect()}>
          {t('wsDisconnect')}
        </button>
      </div>
      {w.identifying ? (
        <div className="ws-progress">
          <progress max={w.identifying.total} value={w.identifying.done} aria-label={t('wsIdentifying')} />
          <span>{t('wsIdentifyingCount', { done: w.identifying.done, total: w.identifying.total })}</span>
        </div>
      ) : (
        <>
          {w.source && <p className="hint">{t(`wsSource_${w.source}`)}</p>}
          {w.ecus.length === 0 ? (
            <p className="empty">{t('wsNoEcus')}</p>
          ) : (
            <div className="dx-table-wrap">
              <table className="dx-table" aria-label={t('wsEcus', { vin })}>
                <thead>
                  <tr>
                    <th scope="col">{t('wsEcu')}</th>
                    <th scope="col">{t('wsAddress')}</th>
                    <th scope="col">{t('wsSystem')}</th>
                    <th scope="col">{t('wsHardware')}</th>
                    <th scope="col">{t('wsSoftware')}</th>
                    <th scope="col">{t('wsActions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {w.ecus.map((e) => {
                    const name = e.ecu ?? hexAddress(e.address)
                    return (
                      <tr key={e.address}>
                        <th scope="row">{name}</th>
                        <td>{hexAddress(e.address)}</td>
                        <td>{e.systemName ?? '—'}</td>
                        <td>{e.hardware ?? '—'}</td>
                        <td>{e.error ? <span className="dx-failed">{t('wsNoAnswer', { message: e.error })}</span> : (e.software ?? '—')}</td>
                        <td className="dx-row-actions">
                          <button
                            type="button"
                            className="link"
                            aria-label={t('wsReadDtcsOf', { ecu: name })}
                            disabled={!run.allowed}
                            title={run.reason}
                            onClick={() => void w.send(e.address, { kind: 'readDtcs', statusMask: 0xff })}
                          >
                            {t('wsReadDtcs')}
                          </button>
                          {e.ecu !== 'GATEWAY' && (
                            <button
                              type="button"
                              className="link"
                              aria-label={t('wsFlashEcu', { ecu: name })}
                              disabled={!flash.allowed}
                              title={flash.reason}
                              onClick={() => onFlash(e.address)}
                            >
                              {t('wsFlash')}
                            </button>
                          )}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  )
}
