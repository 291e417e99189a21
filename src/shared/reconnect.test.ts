import { Duplex } from 'node:stream'
import { MqttClient } from 'mqtt'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { backoffDelay, reconnectWithBackoff, VEHICLE_RECONNECT, type BackoffPolicy } from './reconnect'

const POLICY: BackoffPolicy = { baseMs: 100, capMs: 1_000 }
const CONNACK = Buffer.from([0x20, 0x02, 0x00, 0x00])

describe('backoffDelay', () => {
  it('doubles the window with each attempt up to the cap, and draws uniformly inside it', () => {
    expect([0, 1, 2, 3, 4, 5, 60].map((a) => backoffDelay(a, POLICY, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000])
    expect(backoffDelay(3, POLICY, () => 0.25)).toBe(200)
    expect(backoffDelay(3, POLICY, () => 0)).toBe(0)
    for (let attempt = 0; attempt < 2_000; attempt++) {
      const d = backoffDelay(attempt, VEHICLE_RECONNECT)
      expect(d).toBeGreaterThanOrEqual(0)
      expect(d).toBeLessThanOrEqual(VEHICLE_RECONNECT.capMs)
    }
    expect(backoffDelay(5_000, { baseMs: 0, capMs: 1_000 }, () => 1)).toBe(0)
  })
})

/**
 * A real mqtt.js client on a fake transport: while the broker is "down" every connection closes
 * at once (as a refused one does), while "up" it is accepted with a CONNACK and stays open.
 */
function clientOnFakeBroker(random: () => number) {
  const attempts: number[] = []
  const broker = { up: false, connection: undefined as Duplex | undefined }
  const client = new MqttClient(
    () => {
      attempts.push(Date.now())
      let answered = !broker.up
      const stream = new Duplex({
        read() {},
        write(_chunk, _encoding, done) {
          if (!answered) stream.push(CONNACK)
          answered = true
          done()
        }
      })
      broker.connection = stream
      if (!broker.up) process.nextTick(() => stream.destroy())
      return stream
    },
    { keepalive: 0 }
  )
  reconnectWithBackoff(client, POLICY, random)
  const gaps = () => attempts.slice(1).map((t, i) => t - attempts[i]!)
  return { client, broker, attempts, gaps }
}

describe('reconnectWithBackoff on an mqtt.js client', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 0 }))
  afterEach(() => void vi.useRealTimers())

  it('waits longer after each failed attempt, up to the cap, starts over after a connect, and stops at end()', async () => {
    const { client, broker, attempts, gaps } = clientOnFakeBroker(() => 1)
    await vi.advanceTimersByTimeAsync(4_000)
    expect(gaps()).toEqual([100, 200, 400, 800, 1_000, 1_000])

    broker.up = true
    const connected = new Promise((resolve) => client.once('connect', resolve))
    await vi.advanceTimersByTimeAsync(1_000)
    await connected
    const before = attempts.length
    broker.up = false
    const dropped = Date.now()
    broker.connection!.destroy()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(attempts.slice(before).map((t) => t - dropped)).toEqual([100, 300, 700])

    await client.endAsync(true)
    const ended = gaps().length
    await vi.advanceTimersByTimeAsync(60_000)
    expect(gaps()).toHaveLength(ended)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('draws each wait inside its window, and a draw of 0 does not turn reconnecting off', async () => {
    const draws = [0.5, 0.5, 0.25, 0, 0.9]
    const { client, gaps } = clientOnFakeBroker(() => draws.shift() ?? 1)
    await vi.advanceTimersByTimeAsync(2_000)
    expect(gaps().slice(0, 5)).toEqual([50, 100, 100, 1, 900])
    await client.endAsync(true)
  })

  it('stops when the client ends while it waits', async () => {
    const { client, attempts } = clientOnFakeBroker(() => 1)
    await vi.advanceTimersByTimeAsync(150)
    expect(attempts).toEqual([0, 100])
    await client.endAsync(true)
    await vi.advanceTimersByTimeAsync(60_000)
    expect(attempts).toEqual([0, 100])
    expect(vi.getTimerCount()).toBe(0)
  })
})
