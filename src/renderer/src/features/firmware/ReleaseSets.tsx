import { useEffect, useId, useMemo, useState, type FormEvent } from 'react'
import { FailureCause } from '../../../../shared/protocol/messages'
import type { Blocker, DeploymentView, ReleaseSetView } from '../../../../shared/fleet/release-sets'
import { useFormat, useT, type MessageKey } from '../../i18n'
import { CallFailed } from '../../ota'
import { usePermission } from '../../store/session'
import { useFirmware } from './firmware-store'
import { releaseSetOf, type ReleaseSetForm, type SetFormProblem } from './release-set-form'
import { useReleaseSets } from './release-sets-store'

const BLOCKER_KEY: Record<Blocker['kind'], MessageKey> = {
  'ecu-missing': 'setsBlockerEcuMissing',
  'hardware-mismatch': 'setsBlockerHardware',
  'version-required': 'setsBlockerVersion',
  downgrade: 'setsBlockerDowngrade',
  'wrong-model': 'setsBlockerModel',
  'no-configuration': 'setsBlockerNoConfiguration',
  'release-withdrawn': 'setsBlockerWithdrawn'
}
const STATE_KEY: Record<DeploymentView['state'], MessageKey> = {
  blocked: 'setsStateBlocked',
  sent: 'setsStateSent',
  installing: 'setsStateInstalling',
  succeeded: 'setsStateSucceeded',
  'rolled-back': 'setsStateRolledBack'
}
const ECU_STATE_KEY: Record<DeploymentView['ecus'][number]['state'], MessageKey> = {
  waiting: 'setsEcuWaiting',
  installing: 'setsEcuInstalling',
  installed: 'setsEcuInstalled',
  failed: 'setsEcuFailed',
  'rolled-back': 'setsEcuRolledBack',
  skipped: 'setsEcuSkipped'
}
/** A deployment still moving: the panel asks again until none is. */
const MOVING = new Set<DeploymentView['state']>(['sent', 'installing'])

function useBlockerText() {
  const t = useT()
  return (b: Blocker) => t(BLOCKER_KEY[b.kind], { ecu: b.ecu, found: b.found ?? '', needed: b.needed })
}

/**
 * Release sets: the images of several ECUs that go in together, with the order they install in
 * and the versions other ECUs must run. A set is checked against each vehicle's configuration,
 * which names what blocks a vehicle, and sent to those it fits as one package per zonal gateway.
 */
export function ReleaseSets() {
  const t = useT()
  const { sets, error, open, load, show } = useReleaseSets()
  useEffect(() => void load(), [load])

  return (
    <section className="panel wide" aria-labelledby="fw-sets-title">
      <div className="fw-header">
        <h2 id="fw-sets-title">{t('setsTitle')}</h2>
        <button type="button" onClick={() => void load()}>
          {t('fwRefresh')}
        </button>
      </div>
      <p className="hint">{t('setsHint')}</p>
      {error && (
        <p role="alert" className="banner error">
          {t('setsListFailed', { reason: error })}
        </p>
      )}
      {sets?.length === 0 && <p className="empty">{t('setsEmpty')}</p>}
      {sets && sets.length > 0 && (
        <table className="fw-table" aria-label={t('setsTitle')}>
          <thead>
            <tr>
              <th scope="col">{t('setsName')}</th>
              <th scope="col">{t('fwModel')}</th>
              <th scope="col">{t('setsMembers')}</th>
              <th scope="col">{t('setsRequires')}</th>
              <th scope="col">
                <span className="fw-sr">{t('fwActions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id} aria-current={open?.set.id === s.id ? 'true' : undefined}>
                <th scope="row">
                  {s.name} {s.version}
                </th>
                <td>{s.model}</td>
                <td>
                  {s.members
                    .map((m) => (m.after.length ? t('setsMemberAfter', { ecu: m.ecu, version: m.version, after: m.after.join(', ') }) : `${m.ecu} ${m.version}`))
                    .join(' · ')}
                </td>
                <td>{s.requires.map((r) => `${r.ecu} ${r.range}`).join(' · ') || '—'}</td>
                <td>
                  <button type="button" onClick={() => void show(s)} aria-label={t('setsOpen', { name: `${s.name} ${s.version}` })}>
                    {t('setsCheck')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {open && <SetVehicles key={open.set.id} set={open.set} />}
      <ReleaseSetCreate />
    </section>
  )
}

/** Each vehicle of the set's model against the set, chosen to deploy to, and the deployments with each ECU's state (keyed by set: another set starts with nothing chosen). */
function SetVehicles({ set }: { set: ReleaseSetView }) {
  const t = useT()
  const format = useFormat()
  const blockerText = useBlockerText()
  const perm = usePermission('job.create')
  const { open, busy, refresh, deploy } = useReleaseSets()
  const [chosen, setChosen] = useState<Set<string>>(new Set())
  const verdicts = open?.verdicts
  const deployments = open?.deployments
  const fits = verdicts?.filter((v) => v.compatibility.compatible).map((v) => v.vin) ?? []
  const moving = deployments?.some((d) => MOVING.has(d.state)) ?? false
  useEffect(() => {
    if (!moving) return
    const timer = setInterval(() => void refresh(), 1000)
    return () => clearInterval(timer)
  }, [moving, refresh])
  const cause = (c: string) => (FailureCause.safeParse(c).success ? t(`fail_${c}` as MessageKey) : c)
  const toggle = (vin: string, on: boolean) => setChosen((s) => (on ? new Set(s).add(vin) : new Set([...s].filter((v) => v !== vin))))

  return (
    <section aria-labelledby="fw-set-vehicles" className="fw-set">
      <h3 id="fw-set-vehicles">{t('setsVehiclesTitle', { name: `${set.name} ${set.version}` })}</h3>
      {open?.error && (
        <p role="alert" className="banner error">
          {open.error}
        </p>
      )}
      {!verdicts && !open?.error && <p role="status">{t('loading')}</p>}
      {verdicts?.length === 0 && <p className="empty">{t('setsNoVehicles', { model: set.model })}</p>}
      {verdicts && verdicts.length > 0 && (
        <>
          <p>{t('setsFitCount', { fit: fits.length, total: verdicts.length })}</p>
          <table className="fw-table" aria-label={t('setsVerdicts')}>
            <thead>
              <tr>
                <th scope="col">
                  <span className="fw-sr">{t('setsChoose')}</span>
                </th>
                <th scope="col">VIN</th>
                <th scope="col">{t('setsVerdict')}</th>
              </tr>
            </thead>
            <tbody>
              {verdicts.map(({ vin, compatibility: c }) => (
                <tr key={vin}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={t('setsChooseVin', { vin })}
                      disabled={!c.compatible}
                      checked={chosen.has(vin)}
                      onChange={(e) => toggle(vin, e.target.checked)}
                    />
                  </td>
                  <th scope="row">{vin}</th>
                  <td>
                    {c.compatible ? (
                      <span className="ok">
                        {c.zones.length
                          ? t('setsFits', {
                              zones: c.zones.map((z) => `${z.zone}: ${z.steps.map((s) => `${s.ecu} ${s.from}→${s.to}`).join(', ')}`).join(' | ')
                            })
                          : t('setsUpToDate')}
                      </span>
                    ) : (
                      <ul className="fw-blockers" aria-label={t('setsBlockers', { vin })}>
                        {c.blockers.map((b) => (
                          <li key={`${b.ecu}/${b.kind}`}>{blockerText(b)}</li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            <button type="button" onClick={() => setChosen(new Set(fits))} disabled={!fits.length}>
              {t('setsChooseAll')}
            </button>
            <button type="button" disabled={!perm.allowed || !chosen.size || busy === 'deploy'} title={perm.reason} onClick={() => void deploy([...chosen])}>
              {t('setsDeploy', { n: chosen.size })}
            </button>
          </div>
        </>
      )}
      <h4>{t('setsDeployments')}</h4>
      {deployments?.length === 0 && <p className="empty">{t('setsNoDeployments')}</p>}
      {deployments && deployments.length > 0 && (
        <table className="fw-table" aria-label={t('setsDeployments')}>
          <thead>
            <tr>
              <th scope="col">VIN</th>
              <th scope="col">{t('setsState')}</th>
              <th scope="col">{t('setsEcus')}</th>
              <th scope="col">{t('setsWhy')}</th>
              <th scope="col">{t('setsUpdated')}</th>
            </tr>
          </thead>
          <tbody>
            {deployments.map((d) => (
              <tr key={d.id}>
                <th scope="row">{d.vin}</th>
                <td>{t(STATE_KEY[d.state])}</td>
                <td>{d.ecus.map((e) => `${e.ecu} (${e.zone}) ${e.from}→${e.to}: ${t(ECU_STATE_KEY[e.state])}`).join(' · ') || '—'}</td>
                <td>
                  {d.failed ? t('setsFailedBecause', { ecu: d.failed.ecu, cause: cause(d.failed.cause), detail: d.failed.detail }) : d.blockers.map(blockerText).join(' · ') || '—'}
                </td>
                <td>{format.dateTime(d.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}

const EMPTY: ReleaseSetForm = { model: '', name: '', version: '', images: {}, after: {}, requires: '' }

/** The form that makes a set from published releases: one image per ECU, what each installs after, and the requirements. */
function ReleaseSetCreate() {
  const t = useT()
  const perm = usePermission('release.create')
  const releases = useFirmware((s) => s.list?.releases)
  const busy = useReleaseSets((s) => s.busy === 'create')
  const [form, setForm] = useState<ReleaseSetForm>(EMPTY)
  const [problem, setProblem] = useState<SetFormProblem>()
  const [failure, setFailure] = useState<string>()
  const [made, setMade] = useState<string>()
  const ids = { model: useId(), name: useId(), version: useId(), requires: useId(), requiresHint: useId() }
  const published = useMemo(() => releases?.filter((r) => r.published) ?? [], [releases])
  const models = [...new Set(published.map((r) => r.model))].sort()
  const byEcu = useMemo(() => {
    const m = new Map<string, typeof published>()
    for (const r of published.filter((r) => r.model === form.model)) m.set(r.ecu, [...(m.get(r.ecu) ?? []), r])
    return [...m].sort(([a], [b]) => a.localeCompare(b))
  }, [published, form.model])

  const submit = async (e: FormEvent) => {
    e.preventDefault()
    setFailure(undefined)
    setMade(undefined)
    const parsed = releaseSetOf(form)
    if ('problem' in parsed) return setProblem(parsed.problem)
    setProblem(undefined)
    try {
      const set = await useReleaseSets.getState().create(parsed.input)
      setMade(t('setsMade', { name: `${set.name} ${set.version}` }))
      setForm({ ...EMPTY, model: form.model })
    } catch (err) {
      setFailure(err instanceof CallFailed ? err.message : String(err))
    }
  }

  return (
    <form className="fw-form" aria-label={t('setsNew')} onSubmit={(e) => void submit(e)} noValidate>
      <h3>{t('setsNew')}</h3>
      <div className="row">
        <div className="field">
          <label htmlFor={ids.model}>{t('fwModel')}</label>
          <select id={ids.model} value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value, images: {}, after: {} })}>
            <option value="">{t('setsChooseModel')}</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.name}>{t('setsName')}</label>
          <input id={ids.name} value={form.name} placeholder="brakes" onChange={(e) => setForm({ ...form, name: e.target.value })} />
        </div>
        <div className="field">
          <label htmlFor={ids.version}>{t('fwVersion')}</label>
          <input id={ids.version} value={form.version} placeholder="2.0.0" onChange={(e) => setForm({ ...form, version: e.target.value })} />
        </div>
      </div>
      {form.model && byEcu.length === 0 && <p className="empty">{t('setsNoPublished', { model: form.model })}</p>}
      {byEcu.length > 0 && (
        <fieldset>
          <legend>{t('setsImages')}</legend>
          {byEcu.map(([ecu, rs]) => (
            <div className="row" key={ecu}>
              <div className="field">
                <label htmlFor={`set-image-${ecu}`}>{t('setsImageFor', { ecu })}</label>
                <select id={`set-image-${ecu}`} value={form.images[ecu] ?? ''} onChange={(e) => setForm({ ...form, images: { ...form.images, [ecu]: e.target.value } })}>
                  <option value="">{t('setsNotInSet')}</option>
                  {rs.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.version}
                    </option>
                  ))}
                </select>
              </div>
              {form.images[ecu] && (
                <div className="field">
                  <label htmlFor={`set-after-${ecu}`}>{t('setsAfterFor', { ecu })}</label>
                  <input
                    id={`set-after-${ecu}`}
                    value={form.after[ecu] ?? ''}
                    placeholder="ECU_002"
                    spellCheck={false}
                    onChange={(e) => setForm({ ...form, after: { ...form.after, [ecu]: e.target.value } })}
                  />
                </div>
              )}
            </div>
          ))}
        </fieldset>
      )}
      <div className="field">
        <label htmlFor={ids.requires}>{t('setsRequires')}</label>
        <textarea
          id={ids.requires}
          aria-describedby={ids.requiresHint}
          value={form.requires}
          rows={3}
          spellCheck={false}
          placeholder="ECU_004 >=2.0.0"
          onChange={(e) => setForm({ ...form, requires: e.target.value })}
        />
        <span id={ids.requiresHint} className="hint">
          {t('setsRequiresHint')}
        </span>
      </div>
      {problem && (
        <p role="alert" className="banner error">
          {t(problem.key, problem.vars)}
        </p>
      )}
      {failure && (
        <p role="alert" className="banner error">
          {t('setsCreateFailed', { reason: failure })}
        </p>
      )}
      {made && (
        <p role="status" className="banner ok">
          {made}
        </p>
      )}
      <button type="submit" disabled={!perm.allowed || busy} title={perm.reason}>
        {t('setsCreate')}
      </button>
    </form>
  )
}
