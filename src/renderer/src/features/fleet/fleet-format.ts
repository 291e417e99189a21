import type { FleetRow } from '../../../../shared/calls/fleet'
import { compareVersions } from '../../../../shared/version'

/** What a row shows of its software: the filtered ECU's version, else the distinct versions it runs. */
export function softwareOf(row: FleetRow, ecu: string | undefined): string {
  if (ecu) return row.versions[ecu] ?? ''
  return [...new Set(Object.values(row.versions))].sort(compareVersions).join(' · ')
}
