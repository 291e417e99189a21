import { join } from 'node:path'
import { JobSpec } from '../../shared/fleet/jobs'
import type { EvidenceRecord, UpdateEvidence } from '../../shared/fleet/evidence'
import { canonicalJson } from '../../shared/tuf/canonical-json'
import type { Db } from '../db/db'
import { notFound } from '../http/errors'
import type { KeyStore } from '../keys/key-store'
import { tufSigner } from '../tuf/keys'

const HEALTH_CAUSES = new Set(['self-test-failed', 'rolled-back', 'new-dtc', 'offline-after-install'])

interface Row {
  job_id: string
  name: string
  spec: string
  created_by: string
  approval_required_by: string | null
  release_id: string
  ecu: string
  version: string
  artifact_sha256: string
  state: string
  cause: string | null
  notified_at: string | null
  delivery: string | null
  decision: string | null
  decided_by: string | null
  role: string | null
  comment: string | null
  decided_at: string | null
}

/**
 * A vehicle's update record as one signed document: every job that reached it (offered when,
 * approved by whom, delivered full or by delta, the outcome, the health window's verdict, a
 * rollback) with the steps the vehicle reported. Signed by the backend's evidence key, through
 * the key store, so the signature is itself a recorded key use.
 */
export function createEvidence(deps: { db: Db; keyStore: KeyStore; keysDir: string }) {
  const signer = () => tufSigner(deps.keyStore.ed25519('evidence', join(deps.keysDir, 'keys', 'evidence.key'))!)

  async function records(vin: string): Promise<EvidenceRecord[]> {
    const rows = await deps.db.all<Row>(
      `SELECT j.id AS job_id, j.name, j.spec, j.created_by, j.approval_required_by, r.id AS release_id, r.ecu, r.version, r.artifact_sha256,
              e.state, e.cause, e.notified_at, e.delivery, a.decision, a.decided_by, a.role, a.comment, a.decided_at
       FROM executions e JOIN jobs j ON j.id = e.job_id JOIN releases r ON r.id = j.release_id LEFT JOIN job_approvals a ON a.job_id = j.id
       WHERE e.vin = ? ORDER BY j.created_at, j.id`,
      [vin]
    )
    const steps = await deps.db.all<{ release_id: string; step: string; percent: number; cause: string | null; at: string }>(
      'SELECT release_id, step, percent, cause, at FROM update_history WHERE vin = ? ORDER BY at',
      [vin]
    )
    return rows.map((r) => {
      const windowMinutes = JobSpec.parse(JSON.parse(r.spec)).thresholds.healthWindowMinutes
      const verdict =
        windowMinutes <= 0
          ? 'none'
          : r.state === 'monitoring'
            ? 'pending'
            : r.state === 'failed' && r.cause && HEALTH_CAUSES.has(r.cause)
              ? 'unhealthy'
              : r.state === 'succeeded'
                ? 'healthy'
                : 'none'
      return {
        jobId: r.job_id,
        jobName: r.name,
        jobCreatedBy: r.created_by,
        release: { id: r.release_id, ecu: r.ecu, version: r.version, imageSha256: r.artifact_sha256 },
        approval: r.approval_required_by
          ? { requiredBy: r.approval_required_by, decision: r.decision, by: r.decided_by, role: r.role, comment: r.comment, at: r.decided_at }
          : null,
        offeredAt: r.notified_at,
        delivery: r.delivery,
        outcome: r.state,
        cause: r.cause,
        health: { windowSeconds: Math.round(windowMinutes * 60), verdict },
        rolledBack: r.cause === 'rolled-back',
        steps: steps.filter((s) => s.release_id === r.release_id).map((s) => ({ step: s.step, percent: Number(s.percent), cause: s.cause, at: s.at }))
      }
    })
  }

  return {
    /** The evidence key's public half, for an auditor to check documents against. */
    key: () => {
      const { keyid, key } = signer()
      return { keyid, key }
    },
    async export(vin: string, by: string): Promise<UpdateEvidence> {
      const vehicle = await deps.db.get<{ model: string }>('SELECT model FROM vehicles WHERE vin = ?', [vin])
      if (!vehicle) throw notFound(`vehicle ${vin}`)
      const signed = {
        _type: 'ota-update-evidence' as const,
        version: 1 as const,
        vin,
        model: vehicle.model,
        generatedAt: new Date().toISOString(),
        generatedBy: by,
        records: await records(vin)
      }
      const key = signer()
      return { signed, signatures: [{ keyid: key.keyid, sig: key.sign(Buffer.from(canonicalJson(signed))) }], key: key.key }
    }
  }
}
export type Evidence = ReturnType<typeof createEvidence>
