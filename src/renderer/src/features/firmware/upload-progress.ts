/**
 * Bytes per second over the last few seconds, from the running total: a moving window reacts to
 * a stall within seconds, where an average since the start would hide it.
 */
export function createSpeedMeter(windowMs = 3000, now = () => performance.now()) {
  const samples = [{ at: now(), bytes: 0 }]
  return (bytes: number): number | null => {
    const at = now()
    samples.push({ at, bytes })
    while (samples.length > 2 && at - samples[1]!.at >= windowMs) samples.shift()
    const first = samples[0]!
    return at > first.at ? ((bytes - first.bytes) * 1000) / (at - first.at) : null
  }
}

/** Decimal units, as disks and network speeds are quoted: 1 MB = 1,000,000 bytes. */
export function formatBytes(bytes: number) {
  if (bytes < 1000) return `${bytes} B`
  const units = ['kB', 'MB', 'GB', 'TB']
  let value = bytes / 1000
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000
    unit += 1
  }
  return `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`
}

export const formatSpeed = (bytesPerSecond: number) => `${(bytesPerSecond / 1_000_000).toFixed(1)} MB/s`

export const percentOf = (sent: number, size: number) => (size === 0 ? 100 : Math.floor((sent * 100) / size))

/** Whole seconds left at the current speed, or null while the speed is unknown. */
export const secondsLeft = (sent: number, size: number, bytesPerSecond: number | null) =>
  bytesPerSecond && bytesPerSecond > 0 ? Math.ceil((size - sent) / bytesPerSecond) : null
