import semver from 'semver'
import { channelSees } from '../../shared/fleet/catalog'
import type { Selection } from '../../shared/fleet/jobs'
import type { Db } from '../db/db'

export interface ReleaseTarget {
  model: string
  ecu: string
  version: string
  hardware: string[]
  channels: readonly string[]
}

/**
 * The vehicles a job reaches: of the release's model, with its ECU on compatible hardware and
 * an older version (within the optional range), on a channel that has the release, and matching every other filter. Ordered by
 * VIN so a plan is reproducible.
 */
export async function selectVehicles(db: Db, release: ReleaseTarget, selection: Selection): Promise<string[]> {
  if (selection.models && !selection.models.includes(release.model)) return []
  if (selection.versionRange && !semver.validRange(selection.versionRange)) {
    throw new Error(`versionRange "${selection.versionRange}" is not a semver range`)
  }
  const where = ['v.model = ?', 'e.ecu_id = ?']
  const params: unknown[] = [release.model, release.ecu]
  if (selection.regions?.length) {
    where.push(`v.region IN (${selection.regions.map(() => '?').join(',')})`)
    params.push(...selection.regions)
  }
  for (const tag of selection.tags ?? []) {
    where.push('v.tags LIKE ?')
    params.push(`%${JSON.stringify(tag)}%`)
  }
  const rows = await db.all<{ vin: string; software_version: string; hardware: string; channel: string | null }>(
    `SELECT v.vin, e.software_version, e.hardware, v.channel FROM vehicles v JOIN ecus e ON e.vin = v.vin WHERE ${where.join(' AND ')} ORDER BY v.vin`,
    params
  )
  const vins = selection.vins && new Set(selection.vins)
  return rows
    .filter(
      (r) =>
        (!vins || vins.has(r.vin)) &&
        // A job reaches only vehicles whose channel offers the release: a beta release never lands on a stable car.
        channelSees(r.channel, release.channels) &&
        release.hardware.includes(r.hardware) &&
        semver.valid(r.software_version) !== null &&
        semver.lt(r.software_version, release.version) &&
        (!selection.versionRange || semver.satisfies(r.software_version, selection.versionRange))
    )
    .map((r) => r.vin)
}
