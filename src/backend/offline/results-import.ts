import type { ResultsImportReport } from '../../shared/bundle/api'
import { blobRanges, ContainerError, decodeHeader, decodePrefix, PREFIX_LEN } from '../../shared/bundle/container'
import { Envelope, RESULTS_KIND, ResultsManifest, type WorkshopResult } from '../../shared/bundle/manifest'
import type { ExecutionState } from '../../shared/fleet/jobs'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import type { Catalog } from '../catalog/catalog'
import type { Db } from '../db/db'
import { badRequest, conflict, notFound } from '../http/errors'
import type { ExecutionEvent } from '../jobs/execution-machine'
import type { JobService } from '../jobs/job-service'
import { keyIdOf, verifyEd25519 } from '../tuf/keys'
import type { OfflineSigningKey } from './signing-key'
import type { Workshops } from './workshops'
import type { DeviceCertificates } from '../pki/device-certificates'

const IN_FLIGHT = new Set<ExecutionState>(['notified', 'accepted', 'downloading', 'verifying', 'installing', 'rebooting'])

/** The events that take an execution from where it is to the workshop's outcome, or why none can. */
export function eventsFor(state: ExecutionState, outcome: WorkshopResult['outcome']): ExecutionEvent[] | string {
  const finish: ExecutionEvent = { kind: 'step', step: outcome === 'succeeded' ? 'done' : 'failed' }
  if (state === outcome) return []
  if (state === 'queued') return [{ kind: 'notify' }, finish]
  if (IN_FLIGHT.has(state)) return [finish]
  // A workshop's success after an earlier failure or timeout counts, as a retry would.
  if ((state === 'failed' || state === 'timed_out') && outcome === 'succeeded') return [{ kind: 'retry' }, { kind: 'notify' }, finish]
  return `the execution is already ${state}`
}

/** Reads a results file and checks it was signed by the workshop the bundle was made for. */
async function verifiedResults(deps: ResultsDeps, bytes: Buffer, jobId: string) {
  let envelope: Envelope
  try {
    const headerLength = decodePrefix(bytes.subarray(0, PREFIX_LEN), bytes.length)
    envelope = Envelope.parse(decodeHeader(bytes.subarray(PREFIX_LEN, PREFIX_LEN + headerLength)))
    blobRanges(headerLength, Array.isArray(envelope.signed.blobs) ? (envelope.signed.blobs as []) : [], bytes.length)
  } catch (err) {
    throw badRequest(err instanceof ContainerError ? err.message : 'The file is not a workshop results file: its header is not a signed envelope.')
  }
  if (envelope.signed.kind !== RESULTS_KIND) throw badRequest(`The file is not a workshop results file (it holds ${String(envelope.signed.kind ?? 'something else')}).`)
  const parsed = ResultsManifest.safeParse(envelope.signed)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw badRequest(`The results file is malformed: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  const manifest = parsed.data
  const bundle = await deps.db.get<{ job_id: string; workshop_id: string }>('SELECT job_id, workshop_id FROM offline_bundles WHERE id = ?', [manifest.bundleId])
  if (!bundle || manifest.backendKeyId !== deps.signer.keyid) throw notFound(`offline bundle ${manifest.bundleId} of this backend (the results belong to another backend)`)
  if (bundle.job_id !== jobId) throw badRequest(`The results are for job ${bundle.job_id}, not ${jobId}.`)
  const workshop = await deps.workshops.byId(bundle.workshop_id)
  const refusal = await deps.certificates.workshopRefusal(workshop.id)
  if (refusal) throw conflict(`The results of workshop ${workshop.name} are refused: ${refusal}`)
  if (manifest.workshop.id !== workshop.id || keyIdOf(manifest.workshop.key) !== workshop.signingKeyId) {
    throw badRequest(`The results are signed by another key than that of workshop ${workshop.name} (${workshop.id}), for which bundle ${manifest.bundleId} was made.`)
  }
  const message = Buffer.from(canonicalJson(envelope.signed))
  if (!envelope.signatures.some((s) => s.keyid === workshop.signingKeyId && verifyEd25519(workshop.signingKey, message, s.sig))) {
    throw badRequest("The results file's signature does not verify: it was altered after the workshop signed it.")
  }
  return manifest
}

export interface ResultsDeps {
  db: Db
  jobs: JobService
  catalog: Catalog
  workshops: Workshops
  signer: OfflineSigningKey
  /** Whether the workshop's certificate still stands (not revoked, not expired). */
  certificates: Pick<DeviceCertificates, 'workshopRefusal'>
}

/**
 * Applies a workshop's signed results to the job's executions, the ECUs' versions and their
 * history. Each result is recorded once per bundle, VIN and ECU: importing the same file again
 * changes nothing, and a later success replaces an earlier failure.
 */
export async function importResults(deps: ResultsDeps, bytes: Buffer, jobId: string, by: string): Promise<ResultsImportReport> {
  const { db } = deps
  const job = await deps.jobs.view(jobId)
  const manifest = await verifiedResults(deps, bytes, jobId)
  const release = await deps.catalog.get(job.releaseId)
  const report = { applied: 0, unchanged: 0, refused: [] as ResultsImportReport['refused'] }
  for (const r of manifest.results) {
    const refuse = (reason: string) => report.refused.push({ vin: r.vin, ecu: r.ecu, reason })
    if (r.releaseId !== release.id || r.ecu !== release.ecu) {
      refuse(`the job installs ${release.id} on ${release.ecu}, not ${r.releaseId} on ${r.ecu}`)
      continue
    }
    if (!(await db.get('SELECT 1 AS x FROM offline_bundle_vins WHERE bundle_id = ? AND vin = ?', [manifest.bundleId, r.vin]))) {
      refuse(`${r.vin} is not in bundle ${manifest.bundleId}`)
      continue
    }
    const recorded = await db.get<{ outcome: string; finished_at: string }>('SELECT outcome, finished_at FROM offline_results WHERE bundle_id = ? AND vin = ? AND ecu_id = ?', [
      manifest.bundleId,
      r.vin,
      r.ecu
    ])
    if (recorded && recorded.outcome === r.outcome && recorded.finished_at === r.finishedAt) {
      report.unchanged++
      continue
    }
    if (recorded && (recorded.outcome === 'succeeded' || Date.parse(r.finishedAt) <= Date.parse(recorded.finished_at))) {
      refuse(`a ${recorded.outcome} result of ${recorded.finished_at} is already recorded`)
      continue
    }
    const execution = await db.get<{ state: ExecutionState }>('SELECT state FROM executions WHERE job_id = ? AND vin = ?', [jobId, r.vin])
    const events = execution ? eventsFor(execution.state, r.outcome) : `${r.vin} is not in job ${jobId}`
    if (typeof events === 'string') {
      refuse(events)
      continue
    }
    let failure: string | undefined
    for (const event of events) {
      const moved = await deps.jobs.transition(jobId, r.vin, event, r.cause ?? undefined, event.kind === 'step' ? 100 : undefined)
      if (!moved.ok) failure = moved.reason
      if (failure) break
    }
    if (failure) {
      refuse(failure)
      continue
    }
    await record(db, manifest.bundleId, r, release.version, by)
    report.applied++
  }
  return { bundleId: manifest.bundleId, ...report, job: await deps.jobs.view(jobId) }
}

/** The result itself, the ECU's new version with its history, and the step the vehicle page shows. */
async function record(db: Db, bundleId: string, r: WorkshopResult, releaseVersion: string, by: string) {
  await db.transaction(async (tx) => {
    if (r.outcome === 'succeeded' && r.versionAfter) {
      const ecu = await tx.get<{ software_version: string }>('SELECT software_version FROM ecus WHERE vin = ? AND ecu_id = ?', [r.vin, r.ecu])
      if (ecu && ecu.software_version !== r.versionAfter) {
        await tx.run('UPDATE ecus SET software_version = ? WHERE vin = ? AND ecu_id = ?', [r.versionAfter, r.vin, r.ecu])
        await tx.run('INSERT INTO version_history (vin, ecu_id, from_version, to_version, at) VALUES (?, ?, ?, ?, ?)', [
          r.vin,
          r.ecu,
          ecu.software_version,
          r.versionAfter,
          r.finishedAt
        ])
      }
    }
    await tx.run('INSERT INTO update_history (vin, release_id, ecu_id, version, step, percent, cause, at) VALUES (?, ?, ?, ?, ?, 100, ?, ?) ON CONFLICT DO NOTHING', [
      r.vin,
      r.releaseId,
      r.ecu,
      releaseVersion,
      r.outcome === 'succeeded' ? 'done' : 'failed',
      r.cause,
      r.finishedAt
    ])
    await tx.run(
      `INSERT INTO offline_results (bundle_id, vin, ecu_id, outcome, cause, detail, version_before, version_after, started_at, finished_at, steps, imported_at, imported_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (bundle_id, vin, ecu_id) DO UPDATE SET outcome = excluded.outcome, cause = excluded.cause, detail = excluded.detail,
       version_before = excluded.version_before, version_after = excluded.version_after, started_at = excluded.started_at,
       finished_at = excluded.finished_at, steps = excluded.steps, imported_at = excluded.imported_at, imported_by = excluded.imported_by`,
      [bundleId, r.vin, r.ecu, r.outcome, r.cause, r.detail, r.versionBefore, r.versionAfter, r.startedAt, r.finishedAt, JSON.stringify(r.steps), new Date().toISOString(), by]
    )
  })
}
