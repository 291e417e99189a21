import { Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import semver from 'semver'
import { makeDelta } from '../../delta/image-delta'
import type { Keyring } from '../crypto/keyring'
import { openSealed } from '../crypto/sealed'
import type { Db } from '../db/db'
import type { BlobStore } from './blob-store'

/** Deltas for the few versions most of the fleet runs: each costs a pass of zstd over source and target. */
const MAX_SOURCES = 3
/** Images are held whole in memory to make a delta; larger ones are offered full only. */
const MAX_DELTA_IMAGE_BYTES = 256 * 1024 ** 2

export interface DeltaRow {
  release_id: string
  from_version: string
  source_sha256: string
  blob_sha256: string
  blob_size: number
}

/**
 * Binary deltas to a release's image from the older versions of its ECU that vehicles report
 * (those the backend has the image of), made when the release is published and sealed with the
 * release's data key like the image itself, so the TUF target lists them and a vehicle can
 * check them before it rebuilds.
 */
export function createDeltas(deps: { db: Db; blobs: BlobStore; keys: Keyring; log?: (line: string) => void }) {
  const { db, blobs, keys } = deps
  const plain = async (artifactSha256: string) => buffer(await openSealed(blobs, blobs.uploadName(artifactSha256), keys.serverKey))

  return {
    /** Makes the deltas a freshly published release needs; a delta that cannot be made leaves the full image, logged. */
    async makeFor(release: { id: string; model: string; ecu: string; version: string; artifact_sha256: string; size: number }) {
      if (Number(release.size) > MAX_DELTA_IMAGE_BYTES) return []
      const sources = await db.all<{ version: string; artifact_sha256: string; size: number; n: number }>(
        `SELECT r.version, r.artifact_sha256, r.size, COUNT(*) AS n FROM ecus e JOIN vehicles v ON v.vin = e.vin
         JOIN releases r ON r.model = v.model AND r.ecu = e.ecu_id AND r.version = e.software_version
         WHERE v.model = ? AND e.ecu_id = ? AND r.id <> ? GROUP BY r.version, r.artifact_sha256, r.size ORDER BY n DESC`,
        [release.model, release.ecu, release.id]
      )
      const chosen = sources.filter((s) => semver.valid(s.version) && semver.lt(s.version, release.version) && Number(s.size) <= MAX_DELTA_IMAGE_BYTES).slice(0, MAX_SOURCES)
      if (chosen.length === 0) return []
      const target = await plain(release.artifact_sha256)
      const dataKey = await keys.dataKey(release.id)
      for (const source of chosen) {
        try {
          const delta = await makeDelta(await plain(source.artifact_sha256), target)
          const sealed = await blobs.putSealedFor(release.model, Readable.from([delta]), dataKey)
          await db.run(
            `INSERT INTO release_deltas (release_id, from_version, source_sha256, blob_sha256, blob_size, created_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (release_id, from_version) DO NOTHING`,
            [release.id, source.version, source.artifact_sha256, sealed.sha256, sealed.size, new Date().toISOString()]
          )
        } catch (err) {
          deps.log?.(`release ${release.id}: no delta from ${source.version}: ${(err as Error).message}`)
        }
      }
      return db.all<DeltaRow>('SELECT * FROM release_deltas WHERE release_id = ?', [release.id])
    },

    of: (releaseId: string) => db.all<DeltaRow>('SELECT * FROM release_deltas WHERE release_id = ? ORDER BY from_version', [releaseId]),
    one: (releaseId: string, from: string) => db.get<DeltaRow>('SELECT * FROM release_deltas WHERE release_id = ? AND from_version = ?', [releaseId, from]),
    /** A withdrawn release's deltas go with its image. */
    async remove(releaseId: string, model: string) {
      for (const d of await db.all<DeltaRow>('SELECT * FROM release_deltas WHERE release_id = ?', [releaseId])) await blobs.remove(blobs.publishedName(model, d.blob_sha256))
      await db.run('DELETE FROM release_deltas WHERE release_id = ?', [releaseId])
    }
  }
}
export type Deltas = ReturnType<typeof createDeltas>
