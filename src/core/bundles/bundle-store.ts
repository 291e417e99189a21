import { join } from 'node:path'
import { BundleManifest, WorkshopResult } from '../../shared/bundle/manifest'
import type { Db } from '../store/database'

interface BundleRow {
  id: string
  profile_id: string
  manifest: string
  file: string
  imported_at: string
}

export interface StoredBundle {
  id: string
  profileId: string
  manifest: BundleManifest
  file: string
  importedAt: string
}

const toStored = (r: BundleRow): StoredBundle => ({
  id: r.id,
  profileId: r.profile_id,
  manifest: BundleManifest.parse(JSON.parse(r.manifest)),
  file: r.file,
  importedAt: r.imported_at
})

/**
 * Imported bundles (their manifest in SQLite, the file itself under DATA/bundles) and what the
 * workshop did with each vehicle: one result per bundle, VIN and ECU, the latest attempt winning.
 */
export function createBundleStore(db: Db, dataDir: string) {
  const dir = join(dataDir, 'bundles')
  return {
    dir,
    fileFor: (id: string) => join(dir, `${id}.otab`),
    get(id: string): StoredBundle | undefined {
      const row = db.prepare('SELECT * FROM offline_bundles WHERE id = ?').get(id) as BundleRow | undefined
      return row && toStored(row)
    },
    save(b: Omit<StoredBundle, 'importedAt'>) {
      db.prepare('INSERT INTO offline_bundles (id, profile_id, manifest, file, imported_at) VALUES (?, ?, ?, ?, ?)').run(
        b.id,
        b.profileId,
        JSON.stringify(b.manifest),
        b.file,
        new Date().toISOString()
      )
    },
    list(): StoredBundle[] {
      return (db.prepare('SELECT * FROM offline_bundles ORDER BY imported_at DESC, id').all() as BundleRow[]).map(toStored)
    },
    record(bundleId: string, result: WorkshopResult) {
      db.prepare(
        `INSERT INTO offline_results (bundle_id, vin, ecu, result, recorded_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (bundle_id, vin, ecu) DO UPDATE SET result = excluded.result, recorded_at = excluded.recorded_at`
      ).run(bundleId, result.vin, result.ecu, JSON.stringify(result), new Date().toISOString())
    },
    results(bundleId: string): WorkshopResult[] {
      return (db.prepare('SELECT result FROM offline_results WHERE bundle_id = ? ORDER BY vin, ecu').all(bundleId) as { result: string }[]).map((r) =>
        WorkshopResult.parse(JSON.parse(r.result))
      )
    }
  }
}
