import { connect, type Socket } from 'node:net'
import {
  ACTIVATION_TYPE,
  type DoipMessage,
  DoipStreamFramer,
  encodeDiagnosticMessageParts,
  encodeDoipMessage,
  PROTOCOL_VERSION,
  ROUTING_ACTIVATION_CODE
} from '../../../shared/doip'
import { hexAddress } from '../../../shared/uds-client'
import { DiagError, doipNack, genericNack, routingDenied, timedOut } from '../errors'

/** The tester's side of the ISO 13400-2 timers; every one can be shortened or lengthened. */
export interface DoipClientTimers {
  connectMs: number
  /** A_DoIP_Ctrl: how long to wait for the routing activation response. */
  routingActivationMs: number
  /** A_DoIP_Diagnostic_Message: how long to wait for the entity's ack of a diagnostic message. */
  diagnosticAckMs: number
  /** T_TCP_Alive_Check: how long the entity has to answer the tester's own alive check. */
  aliveCheckMs: number
  /**
   * T_TCP_General_Inactivity of the entity: it closes a socket idle this long. The tester sends an
   * alive check after half of it without traffic, so an open session survives idle periods.
   */
  generalInactivityMs: number
}

export const DEFAULT_DOIP_CLIENT_TIMERS: DoipClientTimers = {
  connectMs: 2000,
  routingActivationMs: 2000,
  diagnosticAckMs: 2000,
  aliveCheckMs: 500,
  generalInactivityMs: 5 * 60_000
}

/** The default tester address: inside 0x0E00–0x0FFF and away from the gateway's own 0x0E00. */
export const DEFAULT_TESTER_ADDRESS = 0x0e80
export const DOIP_PORT = 13400

export interface DoipConnectionOptions {
  host: string
  port?: number
  testerAddress?: number
  activationType?: number
  /** 0x02 (ISO 13400-2:2012, the default) or 0x03 (2019). */
  protocolVersion?: number
  timers?: Partial<DoipClientTimers>
}

export interface DoipConnectionEvents {
  /** A UDS frame from an ECU (its logical address) to this tester. */
  onDiagnostic(source: number, userData: Uint8Array): void
  /** The socket is gone; `error` says why. Called once. */
  onClosed(error: DiagError): void
}

interface AckWaiter {
  target: number
  resolve(): void
  reject(err: DiagError): void
  timer: NodeJS.Timeout
}

/**
 * One TCP_DATA socket to a DoIP entity with routing activated: diagnostic messages out, their
 * acks matched in order, UDS frames handed on as they arrive (an ack and the response in the
 * same read are handled together), the entity's alive checks answered, and an alive check of
 * our own before the entity's general inactivity timer would close an idle socket.
 */
export class DoipConnection {
  readonly testerAddress: number
  entityAddress = 0
  private readonly version: number
  private readonly timers: DoipClientTimers
  private readonly framer = new DoipStreamFramer()
  private readonly acks: AckWaiter[] = []
  private activation: { resolve(address: number): void; reject(err: DiagError): void } | undefined
  private aliveWaiter: (() => void) | undefined
  private idleTimer: NodeJS.Timeout | undefined
  private lastTraffic = performance.now()
  private closedWith: DiagError | undefined

  private constructor(
    private readonly socket: Socket,
    options: DoipConnectionOptions,
    private readonly events: DoipConnectionEvents
  ) {
    this.testerAddress = options.testerAddress ?? DEFAULT_TESTER_ADDRESS
    this.version = options.protocolVersion ?? PROTOCOL_VERSION.iso13400_2012
    this.timers = { ...DEFAULT_DOIP_CLIENT_TIMERS, ...options.timers }
    socket.setNoDelay(true)
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', (err) => this.finish(new DiagError({ kind: 'connectionClosed', reason: err.message }, `The DoIP connection failed: ${err.message}`)))
    socket.on('close', () => this.finish(new DiagError({ kind: 'connectionClosed', reason: 'closed by the entity' }, 'The DoIP entity closed the connection')))
  }

  /** Connects and activates routing; a refusal, a timeout or a denial is a DiagError naming it. */
  static async open(options: DoipConnectionOptions, events: DoipConnectionEvents): Promise<DoipConnection> {
    const timers = { ...DEFAULT_DOIP_CLIENT_TIMERS, ...options.timers }
    const port = options.port ?? DOIP_PORT
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: options.host, port })
      const timer = setTimeout(() => {
        s.destroy()
        reject(timedOut('connect', timers.connectMs, `${options.host}:${port}`))
      }, timers.connectMs)
      s.once('connect', () => {
        clearTimeout(timer)
        s.removeAllListeners('error')
        resolve(s)
      })
      s.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer)
        const reason = err.code === 'ECONNREFUSED' ? 'connection refused' : err.message
        reject(new DiagError({ kind: 'connectionRefused', host: options.host, port, reason }, `Could not connect to the DoIP entity at ${options.host}:${port}: ${reason}`))
      })
    })
    const connection = new DoipConnection(socket, options, events)
    await connection.activate(options.activationType ?? ACTIVATION_TYPE.default)
    return connection
  }

  get closed(): boolean {
    return this.closedWith !== undefined
  }

  /** Writes a diagnostic message; resolves on the entity's positive ack, rejects on its NACK. */
  sendDiagnostic(target: number, userData: Uint8Array): Promise<void> {
    if (this.closedWith) return Promise.reject(this.closedWith)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const index = this.acks.indexOf(waiter)
        if (index >= 0) this.acks.splice(index, 1)
        reject(timedOut('diagnosticAck', this.timers.diagnosticAckMs, `message to ${hexAddress(target)}`))
      }, this.timers.diagnosticAckMs)
      const waiter: AckWaiter = { target, resolve, reject, timer }
      this.acks.push(waiter)
      // The head and the frame as it is, in one writev: a 64 KiB block is not copied again.
      this.write(...encodeDiagnosticMessageParts({ sourceAddress: this.testerAddress, targetAddress: target, userData }, this.version))
    })
  }

  close(): void {
    this.finish(new DiagError({ kind: 'connectionClosed', reason: 'closed by the tester' }, 'The DoIP connection was closed'))
  }

  private activate(activationType: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = timedOut('routingActivation', this.timers.routingActivationMs)
        reject(err)
        this.finish(err)
      }, this.timers.routingActivationMs)
      this.activation = {
        resolve: (address) => {
          clearTimeout(timer)
          this.entityAddress = address
          this.activation = undefined
          this.armIdle()
          resolve()
        },
        reject: (err) => {
          clearTimeout(timer)
          this.activation = undefined
          reject(err)
          this.finish(err)
        }
      }
      this.send({ type: 'routingActivationRequest', sourceAddress: this.testerAddress, activationType })
    })
  }

  private send(message: DoipMessage): void {
    this.write(encodeDoipMessage(message, this.version))
  }

  private write(...parts: Uint8Array[]): void {
    if (this.socket.destroyed) return
    this.lastTraffic = performance.now()
    this.socket.cork()
    for (const part of parts) this.socket.write(part)
    this.socket.uncork()
  }

  private receive(chunk: Buffer): void {
    this.lastTraffic = performance.now()
    for (const event of this.framer.push(chunk)) {
      if (event.kind === 'error') {
        this.finish(new DiagError({ kind: 'connectionClosed', reason: event.error.message }, `The DoIP entity sent what is not DoIP: ${event.error.message}`))
        return
      }
      this.dispatch(event.message)
    }
  }

  private dispatch(message: DoipMessage): void {
    switch (message.type) {
      case 'diagnosticMessage':
        if (message.targetAddress === this.testerAddress) this.events.onDiagnostic(message.sourceAddress, message.userData)
        return
      case 'diagnosticMessageAck': {
        const waiter = this.acks.shift()
        if (waiter) {
          clearTimeout(waiter.timer)
          waiter.resolve()
        }
        return
      }
      case 'diagnosticMessageNack': {
        const waiter = this.acks.shift()
        if (waiter) {
          clearTimeout(waiter.timer)
          waiter.reject(doipNack(message.code, hexAddress(waiter.target)))
        }
        return
      }
      case 'routingActivationResponse':
        if (message.responseCode === ROUTING_ACTIVATION_CODE.success) this.activation?.resolve(message.entityAddress)
        // 0x11: the vehicle asks someone to confirm; the final answer follows within our wait.
        else if (message.responseCode !== ROUTING_ACTIVATION_CODE.confirmationRequired) this.activation?.reject(routingDenied(message.responseCode))
        return
      case 'aliveCheckRequest':
        return this.send({ type: 'aliveCheckResponse', sourceAddress: this.testerAddress })
      case 'aliveCheckResponse':
        return this.aliveWaiter?.()
      case 'genericNack': {
        const err = genericNack(message.code)
        if (this.activation) return this.activation.reject(err)
        const waiter = this.acks.shift()
        if (waiter) {
          clearTimeout(waiter.timer)
          waiter.reject(err)
        }
        return
      }
      default:
        return
    }
  }

  /** Before the entity's general inactivity timer runs out, an alive check keeps the socket open. */
  private armIdle(delay = this.timers.generalInactivityMs / 2): void {
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => this.idleCheck(), delay)
    this.idleTimer.unref()
  }

  private idleCheck(): void {
    if (this.closedWith) return
    const half = this.timers.generalInactivityMs / 2
    const idle = performance.now() - this.lastTraffic
    if (idle < half) return this.armIdle(half - idle)
    const timer = setTimeout(() => this.finish(timedOut('aliveCheck', this.timers.aliveCheckMs)), this.timers.aliveCheckMs)
    this.aliveWaiter = () => {
      clearTimeout(timer)
      this.aliveWaiter = undefined
    }
    this.send({ type: 'aliveCheckRequest' })
    this.armIdle()
  }

  private finish(error: DiagError): void {
    if (this.closedWith) return
    this.closedWith = error
    clearTimeout(this.idleTimer)
    this.aliveWaiter?.()
    this.socket.destroy()
    for (const waiter of this.acks.splice(0)) {
      clearTimeout(waiter.timer)
      waiter.reject(error)
    }
    this.activation?.reject(error)
    this.events.onClosed(error)
  }
}
