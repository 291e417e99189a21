import { describe, expect, it } from 'vitest'
import type { MaintenanceWindow } from '../../shared/fleet/jobs'
import { wallClock, windowOpen } from './maintenance'

const at = (iso: string) => Date.parse(iso)
const sundayNight: MaintenanceWindow[] = [{ days: [0], start: '02:00', durationMinutes: 120 }]

/** How many real minutes, from this UTC instant over the next day, the windows are open in the zone. */
const openMinutes = (windows: readonly MaintenanceWindow[], fromIso: string, timeZone: string) => {
  let n = 0
  for (let t = at(fromIso); t < at(fromIso) + 86_400_000; t += 60_000) if (windowOpen(windows, t, timeZone)) n++
  return n
}

describe('maintenance windows in the vehicle’s IANA time zone', () => {
  const nightly: MaintenanceWindow[] = [{ days: [1, 2, 3, 4, 5], start: '22:00', durationMinutes: 240 }] // Mon–Fri 22:00–02:00

  it('is always open without windows', () => expect(windowOpen([], at('2026-11-30T12:00:00Z'), 'Europe/Berlin')).toBe(true))

  it('opens inside a window in the vehicle’s own zone', () => {
    // Monday 13:30 UTC is 22:30 in Tokyo, 14:30 in Berlin.
    expect(windowOpen(nightly, at('2026-11-30T13:30:00Z'), 'Asia/Tokyo')).toBe(true)
    expect(windowOpen(nightly, at('2026-11-30T13:30:00Z'), 'Europe/Berlin')).toBe(false)
  })

  it('runs past midnight into the next day', () => {
    expect(windowOpen(nightly, at('2026-12-01T01:30:00Z'), 'UTC')).toBe(true) // Tuesday 01:30, Monday's window
    expect(windowOpen(nightly, at('2026-12-01T02:00:00Z'), 'UTC')).toBe(false)
    expect(windowOpen(nightly, at('2026-11-30T01:00:00Z'), 'UTC')).toBe(false) // Monday 01:00: Sunday had no window
  })

  it('follows summer time: the same local 22:00 is an hour earlier in UTC in July than in January', () => {
    expect(windowOpen(nightly, at('2026-01-05T21:00:00Z'), 'Europe/Berlin')).toBe(true) // 22:00 CET
    expect(windowOpen(nightly, at('2026-01-05T20:59:00Z'), 'Europe/Berlin')).toBe(false)
    expect(windowOpen(nightly, at('2026-07-06T20:00:00Z'), 'Europe/Berlin')).toBe(true) // 22:00 CEST: a fixed +01:00 would say 21:00
    expect(windowOpen(nightly, at('2026-07-06T19:59:00Z'), 'Europe/Berlin')).toBe(false)
    expect(windowOpen(nightly, at('2026-07-07T02:00:00Z'), 'America/New_York')).toBe(true) // 22:00 EDT
    expect(windowOpen(nightly, at('2026-01-06T02:59:00Z'), 'America/New_York')).toBe(false) // 21:59 EST
  })

  it('Berlin: a Sunday 02:00–04:00 window is two hours on an ordinary night, one when clocks go forward, three when they go back', () => {
    expect(openMinutes(sundayNight, '2026-03-21T23:00:00Z', 'Europe/Berlin')).toBe(120)
    expect(openMinutes(sundayNight, '2026-03-28T23:00:00Z', 'Europe/Berlin')).toBe(60) // 29 March: 02:00 CET → 03:00 CEST
    expect(openMinutes(sundayNight, '2026-10-24T22:00:00Z', 'Europe/Berlin')).toBe(180) // 25 October: 03:00 CEST → 02:00 CET
    // The skipped hour never shows; the window opens at 03:00 CEST (01:00 UTC).
    expect(windowOpen(sundayNight, at('2026-03-29T00:59:00Z'), 'Europe/Berlin')).toBe(false)
    expect(windowOpen(sundayNight, at('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(true)
    expect(windowOpen(sundayNight, at('2026-03-29T02:00:00Z'), 'Europe/Berlin')).toBe(false)
    // Both passes through 02:00 are inside it.
    expect(windowOpen(sundayNight, at('2026-10-25T00:00:00Z'), 'Europe/Berlin')).toBe(true)
    expect(windowOpen(sundayNight, at('2026-10-25T01:00:00Z'), 'Europe/Berlin')).toBe(true)
    expect(windowOpen(sundayNight, at('2026-10-25T03:00:00Z'), 'Europe/Berlin')).toBe(false)
  })

  it('New York: the same across its own switch dates, 8 March and 1 November', () => {
    const early: MaintenanceWindow[] = [{ days: [0], start: '01:00', durationMinutes: 120 }]
    expect(openMinutes(early, '2026-03-01T05:00:00Z', 'America/New_York')).toBe(120)
    expect(openMinutes(early, '2026-03-08T05:00:00Z', 'America/New_York')).toBe(60) // 02:00 EST → 03:00 EDT
    expect(openMinutes(early, '2026-11-01T04:00:00Z', 'America/New_York')).toBe(180) // 02:00 EDT → 01:00 EST
    expect(windowOpen(early, at('2026-11-01T07:59:00Z'), 'America/New_York')).toBe(true) // 02:59 EST
    expect(windowOpen(early, at('2026-11-01T08:00:00Z'), 'America/New_York')).toBe(false)
  })

  it('Tokyo keeps no daylight saving: two hours on both nights Europe switches', () => {
    expect(openMinutes(sundayNight, '2026-03-28T15:00:00Z', 'Asia/Tokyo')).toBe(120)
    expect(openMinutes(sundayNight, '2026-10-24T15:00:00Z', 'Asia/Tokyo')).toBe(120)
  })

  it('reads the wall clock of a zone, weekday included', () => {
    expect(wallClock(at('2026-10-25T00:30:00Z'), 'Europe/Berlin')).toEqual({ day: 0, minute: 2 * 60 + 30 })
    expect(wallClock(at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual({ day: 0, minute: 2 * 60 + 30 })
    expect(wallClock(at('2026-11-30T15:00:00Z'), 'Asia/Tokyo')).toEqual({ day: 2, minute: 0 }) // Tuesday midnight
  })
})
