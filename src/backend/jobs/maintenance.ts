import type { MaintenanceWindow } from '../../shared/fleet/jobs'

/** Vehicle-local time for a region: the simulator's regions and their standard UTC offsets. */
export const REGION_UTC_OFFSET_MINUTES: Record<string, number> = { eu: 60, jp: 540, us: -300, cn: 480 }

/**
 * Whether a new installation may start now for a vehicle at this UTC offset. No windows means
 * always; a window may run past midnight into the next day.
 */
export function windowOpen(windows: readonly MaintenanceWindow[], nowUtcMs: number, offsetMinutes: number): boolean {
  if (windows.length === 0) return true
  const local = new Date(nowUtcMs + offsetMinutes * 60_000)
  const day = local.getUTCDay()
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes()
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
