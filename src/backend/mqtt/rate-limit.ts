export interface RateLimit {
  perSecond: number
  burst: number
}

interface Bucket {
  tokens: number
  at: number
}

/** The bucket at `now`: refilled for the time since it was last seen, never above the burst. */
const refilled = (limit: RateLimit, bucket: Bucket | undefined, now: number): Bucket =>
  bucket ? { tokens: Math.min(limit.burst, bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond), at: now } : { tokens: limit.burst, at: now }

/**
 * A token bucket per key: `take` spends one message, false once the key has sent more than the
 * burst at once or more than `perSecond` sustained; `give` returns one (a request the key is
 * expected to answer). Keys are kept for the process's life, so reconnecting refills nothing.
 */
export function createRateLimiter(limit: RateLimit, now: () => number = () => performance.now()) {
  const buckets = new Map<string, Bucket>()
  return {
    take(key: string): boolean {
      const bucket = refilled(limit, buckets.get(key), now())
      const ok = bucket.tokens >= 1
      buckets.set(key, ok ? { ...bucket, tokens: bucket.tokens - 1 } : bucket)
      return ok
    },
    give(key: string) {
      const bucket = refilled(limit, buckets.get(key), now())
      buckets.set(key, { ...bucket, tokens: Math.min(limit.burst, bucket.tokens + 1) })
    }
  }
}
