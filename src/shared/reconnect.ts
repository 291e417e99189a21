/**
 * How long a client waits before its next reconnect attempt: exponential backoff with full jitter
 * (a uniform draw from zero to the capped exponential). Clients dropped by the same broker restart
 * then spread their attempts instead of arriving together each second.
 */
export interface BackoffPolicy {
  /** The window of the first attempt after a connection is lost; it doubles with each failure. */
  baseMs: number
  /** The largest window: once the broker is back, every client is back within its length. */
  capMs: number
}

/** Vehicles: no second of a broker restart brings back more than a quarter of the fleet, and all are back within 30 s (bench/reconnect-storm.ts). */
export const VEHICLE_RECONNECT: BackoffPolicy = { baseMs: 8_000, capMs: 24_000 }
/** The console's live updates: one client per user, so quick, but not hammering a broker that is down. */
export const CONSOLE_RECONNECT: BackoffPolicy = { baseMs: 2_000, capMs: 30_000 }
/** The backend's own link: its session queues every vehicle's reports while it is away. */
export const BACKEND_RECONNECT: BackoffPolicy = { baseMs: 250, capMs: 4_000 }

// 2^52 already exceeds any cap; beyond it a base of 0 would make 0 * Infinity = NaN.
export const backoffDelay = (attempt: number, { baseMs, capMs }: BackoffPolicy, random: () => number = Math.random) =>
  random() * Math.min(capMs, baseMs * 2 ** Math.min(attempt, 52))

/** The part of an mqtt.js client the backoff drives (src/shared imports no mqtt). */
export interface ReconnectingClient {
  options: { reconnectPeriod?: number }
  on(event: 'connect' | 'reconnect', listener: () => void): unknown
}

/**
 * Makes an mqtt.js client wait a backoff delay before each reconnect attempt. mqtt.js reads
 * `options.reconnectPeriod` each time a connection closes, so the delay is set ahead of that: the
 * first window on each connect, a doubled one on each attempt. Its own timer does the waiting, so
 * `end()` stops it and nothing is left behind; reconnecting ourselves (period 0 and `reconnect()`)
 * would lose what mqtt.js keeps across attempts: queued QoS 1 messages and resubscriptions.
 */
export function reconnectWithBackoff<C extends ReconnectingClient>(client: C, policy: BackoffPolicy, random: () => number = Math.random): C {
  let attempt = 0
  // A period of 0 turns reconnecting off.
  const plan = () => void (client.options.reconnectPeriod = Math.max(1, Math.round(backoffDelay(attempt, policy, random))))
  plan()
  client.on('connect', () => {
    attempt = 0
    plan()
  })
  client.on('reconnect', () => {
    attempt += 1
    plan()
  })
  return client
}
