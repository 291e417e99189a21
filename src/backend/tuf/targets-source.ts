import type { Db } from '../db/db'
import { targetPath } from '../../shared/fleet/catalog'
import type { TargetSource } from './repository'

/** Every published release, as the TUF target a vehicle of its model verifies. */
export const publishedTargets = (db: Db) => async (): Promise<TargetSource[]> => {
  const rows = await db.all<{ id: string; model: string; ecu: string; version: string; hardware: string; artifact_sha256: string; blob_sha256: string; blob_size: number }>(
    `SELECT r.id, r.model, r.ecu, r.version, r.hardware, r.artifact_sha256, p.blob_sha256, p.blob_size
     FROM publications p JOIN releases r ON r.id = p.release_id ORDER BY r.model, r.ecu, r.version`
  )
  return rows.map((r) => ({
    path: targetPath(r),
    length: Number(r.blob_size),
    sha256: r.blob_sha256,
    custom: { releaseId: r.id, model: r.model, ecu: r.ecu, version: r.version, hardware: JSON.parse(r.hardware) as string[], plaintextSha256: r.artifact_sha256 }
  }))
}
