import { useState } from 'react'
import type { TargetChange } from '../../../../shared/calls/firmware'
import { STABLE, type ReleaseView } from '../../../../shared/fleet/catalog'
import { ConfirmDialog } from '../../components/ConfirmDialog'
import { useFormat, useT } from '../../i18n'
import { usePermission } from '../../store/session'
import { useFirmware, type ChangeAction, type LastChange } from './firmware-store'
import { groupReleases } from './releases-by-group'
import { useFields } from '../../store/fields'
import type { MessageKey } from '../../i18n/catalogs'

/** The words of each change: the confirmation's effect and button, the report, its failure. */
const EFFECT: Record<ChangeAction, MessageKey> = { publish: 'fwPublishEffect', withdraw: 'fwWithdrawEffect', promote: 'fwPromoteEffect' }
const CONFIRM: Record<ChangeAction, MessageKey> = { publish: 'fwPublishConfirm', withdraw: 'fwWithdrawConfirm', promote: 'fwPromote' }
const DONE: Record<ChangeAction, MessageKey> = { publish: 'fwPublishedNow', withdraw: 'fwWithdrawnNow', promote: 'fwPromotedNow' }
const FAILED: Record<ChangeAction, MessageKey> = { publish: 'fwPublishFailed', withdraw: 'fwWithdrawFailed', promote: 'fwPromoteFailed' }

/** Every release, by model and ECU, with publish and withdraw behind a confirmation naming the effect. */
export function ReleaseList() {
  const t = useT()
  const format = useFormat()
  const { list, listError, lastChange, lastCreated, signing, load } = useFields(useFirmware, 'list', 'listError', 'lastChange', 'lastCreated', 'signing', 'load')
  const [confirm, setConfirm] = useState<{ release: ReleaseView; action: ChangeAction }>()
  const pending = new Map((signing?.signer === 'console' ? (signing.pending ?? []) : []).filter((c) => c.releaseId).map((c) => [c.releaseId!, c]))
  const signsHere = signing?.signer === 'console'

  return (
    <section className="panel wide" aria-labelledby="fw-releases-title">
      <div className="fw-header">
        <h2 id="fw-releases-title">{t('fwReleases')}</h2>
        {list?.stale && <span className="stale">{t('fwStale', { at: list.fetchedAt ? format.dateTime(list.fetchedAt) : '' })}</span>}
        <button type="button" onClick={() => void load()}>
          {t('fwRefresh')}
        </button>
      </div>
      {lastCreated && (
        <p role="status" className="banner ok">
          {t('fwCreated', { model: lastCreated.model, ecu: lastCreated.ecu, version: lastCreated.version })}
        </p>
      )}
      {lastChange && <ChangeReport change={lastChange} />}
      {listError && (
        <p role="alert" className="banner error">
          {t('fwListFailed', { reason: listError })}
        </p>
      )}
      {list && list.releases.length === 0 && <p className="empty">{t('fwNoReleases')}</p>}
      {list &&
        groupReleases(list.releases).map((group) => (
          <section key={group.model} className="fw-model" aria-label={group.model}>
            <h3>{group.model}</h3>
            {group.ecus.map((e) => (
              <table key={e.ecu} className="fw-table">
                <caption>{e.ecu}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('fwVersion')}</th>
                    <th scope="col">{t('fwSize')}</th>
                    <th scope="col">{t('fwState')}</th>
                    <th scope="col">{t('fwCreatedBy')}</th>
                    <th scope="col">
                      <span className="fw-sr">{t('fwActions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {e.releases.map((r) => (
                    <ReleaseRow key={r.id} release={r} pending={pending.get(r.id)} onAsk={(action) => setConfirm({ release: r, action })} />
                  ))}
                </tbody>
              </table>
            ))}
          </section>
        ))}
      {confirm && (
        <ConfirmDialog
          message={[
            t(EFFECT[confirm.action], { model: confirm.release.model, version: confirm.release.version, ecu: confirm.release.ecu }),
            signsHere && confirm.action !== 'promote' ? t('fwSignedOnConfirm') : ''
          ].join(' ')}
          confirmLabel={t(CONFIRM[confirm.action])}
          danger={confirm.action === 'withdraw'}
          onCancel={() => setConfirm(undefined)}
          onConfirm={() => {
            setConfirm(undefined)
            void useFirmware.getState().change(confirm.release, confirm.action)
          }}
        />
      )}
    </section>
  )
}

function ReleaseRow({ release: r, pending, onAsk }: { release: ReleaseView; pending?: TargetChange; onAsk(action: ChangeAction): void }) {
  const t = useT()
  const format = useFormat()
  const busy = useFirmware((s) => s.busy)
  const publish = usePermission('release.publish')
  const withdraw = usePermission('release.withdraw')
  const perm = r.published ? withdraw : publish
  const action: ChangeAction = r.published ? 'withdraw' : 'publish'
  const running = busy === `${action}:${r.id}`
  return (
    <tr>
      <th scope="row">{r.version}</th>
      <td>{format.bytes(r.size)}</td>
      <td>
        <span className={`fw-state ${r.published ? 'published' : 'draft'}`}>{t(r.published ? 'fwPublished' : 'fwNotPublished')}</span>
        {pending && <span className="fw-state waiting">{t('fwAwaitingSignature')}</span>}
        <span className="fw-channels" aria-label={t('fwChannelsOf', { channels: r.channels.join(', ') })}>
          {r.channels.map((c) => (
            <span key={c} className={`fw-channel ${c === STABLE ? 'stable' : ''}`}>
              {c}
            </span>
          ))}
        </span>
      </td>
      <td>
        {r.createdBy} · <time dateTime={r.createdAt}>{format.dateTime(r.createdAt)}</time>
      </td>
      <td>
        <button type="button" className={r.published ? 'danger' : 'primary'} disabled={!perm.allowed || !!busy} title={perm.reason} onClick={() => onAsk(action)}>
          {running ? t(r.published ? 'fwWithdrawing' : 'fwPublishing') : t(r.published ? 'fwWithdraw' : 'fwPublish')}
        </button>
        {!r.channels.includes(STABLE) && (
          <button type="button" disabled={!publish.allowed || !!busy} title={publish.reason} onClick={() => onAsk('promote')}>
            {t('fwPromote')}
          </button>
        )}
      </td>
    </tr>
  )
}

function ChangeReport({ change }: { change: LastChange }) {
  const t = useT()
  const { model, version } = change.release
  const what = t(DONE[change.action], { model, version })
  if ('error' in change) {
    return (
      <p role="alert" className="banner error">
        {t(FAILED[change.action], { model, version, reason: change.error })}
      </p>
    )
  }
  if (change.action === 'promote') {
    return (
      <p role="status" className="banner ok">
        {what}
      </p>
    )
  }
  const { signed, message } = change.outcome
  return (
    <p role="status" className={`banner ${signed === 'pending' ? 'warning' : 'ok'}`}>
      {what} {signed === 'console' ? t('fwSignedByConsole') : signed === 'backend' ? t('fwSignedByBackend') : t('fwNotYetSigned', { reason: message ?? '' })}
    </p>
  )
}
