import { hexAddress, type UdsRequester } from '../../../shared/uds-client'
import { decodeUdsResponse, type PendingTimer, SID, startPendingTimer, stepPendingTimer, suppressesPositiveResponse } from '../../../shared/uds'
import { aborted, DiagError, timedOut } from '../errors'
import { DoipConnection, type DoipConnectionOptions } from './connection'

/** The client's UDS timers. P2* grows to what an ECU announces in its 0x10 response, plus a margin. */
export interface UdsClientTiming {
  /** P2 client: wait for the first answer (network latency included). */
  p2Ms: number
  /** P2* client: wait after each 7F SID 78. */
  p2StarMs: number
}

export const DEFAULT_UDS_CLIENT_TIMING: UdsClientTiming = { p2Ms: 1000, p2StarMs: 5500 }
const P2_STAR_MARGIN_MS = 500

/** What to do when the entity's socket goes away: reconnect (and activate routing) on the next request. */
export interface ReconnectPolicy {
  attempts: number
  delayMs: number
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { attempts: 3, delayMs: 500 }

export type TransportState =
  | { state: 'connected'; entityAddress: number }
  | { state: 'disconnected'; reason: string }
  | { state: 'reconnecting'; attempt: number; of: number; reason: string }
  | { state: 'closed' }

export interface DoipTransportOptions extends DoipConnectionOptions {
  uds?: Partial<UdsClientTiming>
  reconnect?: Partial<ReconnectPolicy>
  onState?(state: TransportState): void
}

interface InFlight {
  frame(bytes: Uint8Array): void
  fail(err: Error): void
}

/**
 * UDS over DoIP to any ECU behind one entity: one request in flight per ECU (requests to other
 * ECUs run alongside), P2/P2* waits driven by the codec's pending timer, and a reconnect policy
 * that says what it does. A request is written as soon as the one before it to that ECU is
 * answered; nothing waits for the DoIP ack before the response can be taken.
 */
export class DoipTransport implements UdsRequester {
  readonly kind = 'doip' as const
  private connection: DoipConnection | undefined
  private connecting: Promise<DoipConnection> | undefined
  private lastFailure = ''
  private closedByUser = false
  private readonly inFlight = new Map<number, InFlight>()
  private readonly queues = new Map<number, Promise<unknown>>()
  /** P2* each ECU announced in its last 0x10 response. */
  private readonly announcedP2Star = new Map<number, number>()
  private readonly timing: UdsClientTiming
  private readonly reconnect: ReconnectPolicy

  private constructor(private readonly options: DoipTransportOptions) {
    this.timing = { ...DEFAULT_UDS_CLIENT_TIMING, ...options.uds }
    this.reconnect = { ...DEFAULT_RECONNECT, ...options.reconnect }
  }

  /** Connects and activates routing now, so a wrong address or a denial shows at once. */
  static async open(options: DoipTransportOptions): Promise<DoipTransport> {
    const transport = new DoipTransport(options)
    await transport.establish()
    return transport
  }

  get entityAddress(): number | undefined {
    return this.connection?.entityAddress
  }

  request(target: number, request: Uint8Array, options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<Uint8Array | undefined> {
    const previous = this.queues.get(target) ?? Promise.resolve()
    const run = previous.catch(() => undefined).then(() => this.exchange(target, request, options))
    this.queues.set(target, run)
    void run.catch(() => undefined).then(() => this.queues.get(target) === run && this.queues.delete(target))
    return run
  }

  async close(): Promise<void> {
    this.closedByUser = true
    this.connection?.close()
    this.connection = undefined
    this.options.onState?.({ state: 'closed' })
  }

  private establish(): Promise<DoipConnection> {
    let connection: DoipConnection | undefined
    this.connecting ??= DoipConnection.open(this.options, {
      onDiagnostic: (source, userData) => this.inFlight.get(source)?.frame(userData),
      onClosed: (error) => this.lost(connection, error)
    })
      .then((c) => {
        connection = c
        this.connection = c
        this.options.onState?.({ state: 'connected', entityAddress: c.entityAddress })
        return c
      })
      .finally(() => (this.connecting = undefined))
    return this.connecting
  }

  private lost(connection: DoipConnection | undefined, error: DiagError): void {
    if (!connection || connection !== this.connection) return
    this.connection = undefined
    this.lastFailure = error.message
    for (const flight of [...this.inFlight.values()]) flight.fail(error)
    if (!this.closedByUser) this.options.onState?.({ state: 'disconnected', reason: error.message })
  }

  /** The open connection, or a new one within the reconnect policy. */
  private async connected(): Promise<DoipConnection> {
    if (this.closedByUser) throw new DiagError({ kind: 'connectionClosed', reason: 'closed by the tester' }, 'This diagnostic session is closed')
    if (this.connection && !this.connection.closed) return this.connection
    if (this.connecting) return this.connecting
    const { attempts, delayMs } = this.reconnect
    if (attempts <= 0) throw new DiagError({ kind: 'connectionClosed', reason: this.lastFailure }, `The DoIP connection is closed (${this.lastFailure}) and reconnecting is off`)
    let last: Error | undefined
    for (let attempt = 1; attempt <= attempts; attempt++) {
      this.options.onState?.({ state: 'reconnecting', attempt, of: attempts, reason: this.lastFailure })
      try {
        return await this.establish()
      } catch (err) {
        last = err as Error
        if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, delayMs))
      }
    }
    const message = `Could not reconnect to the DoIP entity at ${this.options.host}:${this.options.port ?? 13400} after ${attempts} attempts: ${last?.message}`
    this.options.onState?.({ state: 'disconnected', reason: message })
    throw last instanceof DiagError ? new DiagError(last.failure, message) : new Error(message)
  }

  private async exchange(target: number, request: Uint8Array, options: { signal?: AbortSignal; timeoutMs?: number }): Promise<Uint8Array | undefined> {
    const { signal } = options
    if (signal?.aborted) throw aborted(`The request to ${hexAddress(target)}`)
    const connection = await this.connected()
    const sid = request[0] ?? 0
    const suppressed = suppressesPositiveResponse(request)
    const announced = this.announcedP2Star.get(target)
    const p2StarMs = announced === undefined ? this.timing.p2StarMs : Math.max(this.timing.p2StarMs, announced + P2_STAR_MARGIN_MS)
    const timing = { p2Ms: options.timeoutMs ?? this.timing.p2Ms, p2StarMs }

    return new Promise<Uint8Array | undefined>((resolve, reject) => {
      let timer: PendingTimer = startPendingTimer(sid, performance.now(), timing)
      let clock: NodeJS.Timeout | undefined
      const done = (finish: () => void) => {
        clearTimeout(clock)
        signal?.removeEventListener('abort', onAbort)
        if (this.inFlight.get(target) === flight) this.inFlight.delete(target)
        finish()
      }
      const settle = () => {
        if (timer.state === 'answered') {
          const response = timer.response
          if (sid === SID.diagnosticSessionControl) this.noteTiming(target, response)
          return done(() => resolve(response))
        }
        if (timer.state === 'timedOut') {
          return done(() => reject(timer.pendingCount > 0 ? timedOut('p2Star', p2StarMs, `${hexAddress(target)}`) : timedOut('p2', timing.p2Ms, `${hexAddress(target)}`)))
        }
        clearTimeout(clock)
        clock = setTimeout(
          () => {
            timer = stepPendingTimer(timer, { type: 'tick', now: performance.now() })
            settle()
          },
          Math.max(0, timer.deadline - performance.now())
        )
      }
      const flight: InFlight = {
        frame: (bytes) => {
          timer = stepPendingTimer(timer, { type: 'frame', frame: bytes, now: performance.now() })
          settle()
        },
        fail: (err) => done(() => reject(err))
      }
      const onAbort = () => flight.fail(aborted(`The request to ${hexAddress(target)}`))
      signal?.addEventListener('abort', onAbort, { once: true })
      this.inFlight.set(target, flight)
      settle()
      connection.sendDiagnostic(target, request).then(
        // A suppressed positive response is the success case: nothing more is due once the entity has the message.
        () => suppressed && this.inFlight.get(target) === flight && done(() => resolve(undefined)),
        (err: Error) => flight.fail(err)
      )
    })
  }

  private noteTiming(target: number, response: Uint8Array): void {
    try {
      const decoded = decodeUdsResponse(response)
      if (decoded.service === 'diagnosticSessionControl' && decoded.timing) this.announcedP2Star.set(target, decoded.timing.p2StarMs)
    } catch {
      // A 0x10 answer we cannot read changes nothing about timing.
    }
  }
}
