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

export const percentOf = (sent: number, size: number) => (size === 0 ? 100 : Math.floor((sent * 100) / size))

/** Whole seconds left at the current speed, or null while the speed is unknown. */
export const secondsLeft = (sent: number, size: number, bytesPerSecond: number | null) => (bytesPerSecond && bytesPerSecond > 0 ? Math.ceil((size - sent) / bytesPerSecond) : null)
