import { describe, expect, it } from 'vitest'
import { createRateLimiter } from './rate-limit'

const clock = () => {
  let t = 0
  return { now: () => t, advance: (ms: number) => void (t += ms) }
}

describe('the per-vehicle rate limiter', () => {
  it('takes a burst at once, then the sustained rate, per key', () => {
    const time = clock()
    const limiter = createRateLimiter({ perSecond: 20, burst: 200 }, time.now)
    for (let i = 0; i < 200; i++) expect(limiter.take('A')).toBe(true)
    expect(limiter.take('A')).toBe(false)
    expect(limiter.take('B')).toBe(true)
    time.advance(1000)
    for (let i = 0; i < 20; i++) expect(limiter.take('A')).toBe(true)
    expect(limiter.take('A')).toBe(false)
  })

  it('lets a steady 20 a second through for ever, and stops ten times that within the burst', () => {
    const time = clock()
    const limiter = createRateLimiter({ perSecond: 20, burst: 200 }, time.now)
    for (let i = 0; i < 2000; i++, time.advance(50)) expect(limiter.take('steady')).toBe(true)
    let sent = 0
    for (; limiter.take('flood'); time.advance(5)) sent++
    expect(sent).toBeGreaterThanOrEqual(200)
    expect(sent).toBeLessThan(250)
  })

  it('refills to the burst only, and gives back one message for each request to answer', () => {
    const time = clock()
    const limiter = createRateLimiter({ perSecond: 20, burst: 200 }, time.now)
    limiter.take('A')
    time.advance(3_600_000)
    for (let i = 0; i < 200; i++) expect(limiter.take('A')).toBe(true)
    expect(limiter.take('A')).toBe(false)
    for (let i = 0; i < 1000; i++) {
      limiter.give('A')
      expect(limiter.take('A')).toBe(true)
    }
    expect(limiter.take('A')).toBe(false)
  })
})
