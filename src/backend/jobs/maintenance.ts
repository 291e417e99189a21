import type { MaintenanceWindow } from '../../shared/fleet/jobs'

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 }

// Building an Intl formatter costs far more than using one, and a wave asks for the same few zones
// thousands of times.
const formatters = new Map<string, Intl.DateTimeFormat>()
const formatterFor = (timeZone: string) => {
  let f = formatters.get(timeZone)
  if (!f) formatters.set(timeZone, (f = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })))
  return f
}

/** The weekday (0 = Sunday) and minute of the day that a clock on the wall in this zone shows at this instant. */
export function wallClock(nowUtcMs: number, timeZone: string): { day: number; minute: number } {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(nowUtcMs)
      .map((p) => [p.type, p.value])
  )
  return { day: WEEKDAY[parts.weekday!]!, minute: Number(parts.hour) * 60 + Number(parts.minute) }
}

/**
 * Whether a new installation may start now for a vehicle in this IANA time zone. No windows means
 * always; a window may run past midnight into the next day.
 *
 * A window is wall-clock time, as the people who set it read it: "Sunday 02:00 for 120 min" is
 * open while the vehicle's local clock shows Sunday 02:00–03:59. On the night daylight saving
 * begins, the skipped hour never shows, so that window is open one real hour; on the night it ends,
 * the repeated hour shows twice, so it is open three.
 */
export function windowOpen(windows: readonly MaintenanceWindow[], nowUtcMs: number, timeZone: string): boolean {
  if (windows.length === 0) return true
  const { day, minute } = wallClock(nowUtcMs, timeZone)
  return windows.some((w) => {
    const [h, m] = w.start.split(':').map(Number) as [number, number]
    const start = h * 60 + m
    const end = start + w.durationMinutes
    if (w.days.includes(day) && minute >= start && minute < end) return true
    // The tail of yesterday's window, past midnight.
    const yesterday = (day + 6) % 7
    return end > 1440 && w.days.includes(yesterday) && minute < end - 1440
  })
}
