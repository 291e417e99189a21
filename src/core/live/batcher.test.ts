import { describe, expect, it } from 'vitest'
import { createLatestBatcher } from './batcher'

function fakeTimers() {
  let now = 0
  const queue: { at: number; fn: () => void; handle: number }[] = []
  let next = 1
  return {
    timers: {
      setTimeout: (fn: () => void, ms: number) => (queue.push({ at: now + ms, fn, handle: next }), next++),
      clearTimeout: (h: unknown) =>
        void queue.splice(
          queue.findIndex((q) => q.handle === h),
          1
        ),
      now: () => now
    },
    advance(ms: number) {
      now += ms
      for (const due of queue.filter((q) => q.at <= now).sort((a, b) => a.at - b.at)) {
        queue.splice(queue.indexOf(due), 1)
        due.fn()
      }
    }
  }
}

describe('latest-per-key batcher', () => {
  it('hands over the latest item per key, at most once per interval', () => {
    const clock = fakeTimers()
    const batches: { id: string; n: number }[][] = []
    const b = createLatestBatcher<{ id: string; n: number }>({ intervalMs: 100, key: (x) => x.id, flush: (items) => batches.push(items), timers: clock.timers })
    for (let n = 0; n < 1000; n++) b.push({ id: `job${n % 3}`, n })
    clock.advance(0)
    expect(batches).toEqual([
      [
        { id: 'job0', n: 999 },
        { id: 'job1', n: 997 },
        { id: 'job2', n: 998 }
      ]
    ])
    b.push({ id: 'job0', n: 1000 })
    clock.advance(50)
    expect(batches).toHaveLength(1)
    clock.advance(50)
    expect(batches[1]).toEqual([{ id: 'job0', n: 1000 }])
  })

  it('drops what is pending on close', () => {
    const clock = fakeTimers()
    const batches: unknown[] = []
    const b = createLatestBatcher<{ id: string }>({ intervalMs: 100, key: (x) => x.id, flush: (items) => batches.push(items), timers: clock.timers })
    b.push({ id: 'a' })
    b.close()
    clock.advance(500)
    expect(batches).toEqual([])
  })
})
