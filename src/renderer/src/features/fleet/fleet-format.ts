import type { FleetRow } from '../../../../shared/calls/fleet'
import { compareVersions } from '../../../../shared/version'

const formats = new Map<string, Intl.DateTimeFormat>()

/** A time in the user's language; formatters are kept, as a scrolling table formats many. */
export function formatTime(locale: string, iso: string | null): string {
  if (!iso) return ''
  let format = formats.get(locale)
  if (!format) formats.set(locale, (format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' })))
  return format.format(new Date(iso))
}

/** What a row shows of its software: the filtered ECU's version, else the distinct versions it runs. */
export function softwareOf(row: FleetRow, ecu: string | undefined): string {
  if (ecu) return row.versions[ecu] ?? ''
  return [...new Set(Object.values(row.versions))].sort(compareVersions).join(' · ')
}

