import type { Db } from '../db/db'
import { targetPath } from '../../shared/fleet/catalog'
import type { TargetSource } from './repository'

/** Every published release, as the TUF target a vehicle of its model verifies, with the deltas to it. */
export const publishedTargets = (db: Db) => async (): Promise<TargetSource[]> => {
  const rows = await db.all<{ id: string; model: string; ecu: string; version: string; hardware: string; artifact_sha256: string; blob_sha256: string; blob_size: number }>(
    `SELECT r.id, r.model, r.ecu, r.version, r.hardware, r.artifact_sha256, p.blob_sha256, p.blob_size
     FROM publications p JOIN releases r ON r.id = p.release_id ORDER BY r.model, r.ecu, r.version`
  )
  const deltas = await db.all<{ release_id: string; from_version: string; source_sha256: string; blob_sha256: string; blob_size: number }>(
    'SELECT d.release_id, d.from_version, d.source_sha256, d.blob_sha256, d.blob_size FROM release_deltas d JOIN publications p ON p.release_id = d.release_id ORDER BY d.from_version'
  )
  const deltasOf = (id: string) =>
    deltas.filter((d) => d.release_id === id).map((d) => ({ from: d.from_version, sourceSha256: d.source_sha256, length: Number(d.blob_size), sha256: d.blob_sha256 }))
  return rows.map((r) => {
    const made = deltasOf(r.id)
    return {
      path: targetPath(r),
      length: Number(r.blob_size),
      sha256: r.blob_sha256,
      custom: {
        releaseId: r.id,
        model: r.model,
        ecu: r.ecu,
        version: r.version,
        hardware: JSON.parse(r.hardware) as string[],
        plaintextSha256: r.artifact_sha256,
        ...(made.length && { deltas: made })
      }
    }
  })
}
