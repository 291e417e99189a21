/**
 * Keeps the latest item per key and hands them over at most once per interval: a burst of
 * thousands of updates becomes a few batches the renderer can draw.
 */
export function createLatestBatcher<T>(opts: {
  intervalMs: number
  key(item: T): string
  flush(items: T[]): void
  timers?: { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(handle: unknown): void; now(): number }
}) {
  const timers = opts.timers ?? {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout),
    now: () => performance.now()
  }
  let pending = new Map<string, T>()
  let timer: unknown
  let lastFlush = -Infinity

  const flushNow = () => {
    timer = undefined
    if (pending.size === 0) return
    const items = [...pending.values()]
    pending = new Map()
    lastFlush = timers.now()
    opts.flush(items)
  }

  return {
    push(item: T) {
      pending.set(opts.key(item), item)
      if (timer !== undefined) return
      const wait = Math.max(0, lastFlush + opts.intervalMs - timers.now())
      timer = timers.setTimeout(flushNow, wait)
    },
    close() {
      if (timer !== undefined) timers.clearTimeout(timer)
      timer = undefined
      pending.clear()
    }
  }
}
