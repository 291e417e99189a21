import { z } from 'zod'

/**
 * Whether this runtime's time-zone database knows the name (Intl accepts 'UTC' and every IANA
 * zone). A bare offset like +01:00 is refused even where Intl takes it: it has no daylight saving.
 */
function knownZone(name: string): boolean {
  if (!/^[A-Za-z]/.test(name)) return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(knownZone, 'not an IANA time zone (like Europe/Berlin, Asia/Tokyo or UTC)')
  .describe('IANA time zone of the vehicle; its maintenance windows are in this local time')

/** The zone a vehicle is given when it registers without one: its region's main zone, else UTC. */
export const REGION_DEFAULT_TIME_ZONE: Readonly<Record<string, string>> = {
  eu: 'Europe/Berlin',
  jp: 'Asia/Tokyo',
  us: 'America/New_York',
  cn: 'Asia/Shanghai'
}

export const defaultTimeZone = (region: string): string => REGION_DEFAULT_TIME_ZONE[region] ?? 'UTC'
