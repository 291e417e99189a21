import type { Socket } from 'node:net'
import {
  ACTIVATION_TYPE,
  DIAGNOSTIC_ACK,
  DIAGNOSTIC_NACK,
  type DiagnosticMessage,
  type DoipMessage,
  DoipStreamFramer,
  encodeDoipMessage,
  GENERIC_NACK,
  PROTOCOL_VERSION,
  ROUTING_ACTIVATION_CODE,
  type RoutingActivationRequest
} from '../../shared/doip'
import { type EcuNetwork, FUNCTIONAL_ADDRESS } from '../ecu/network'
import { entityStatus, type EntityInfo, powerMode } from './node-info'

/** ISO 13400-2 timers, shortened by tests. */
export interface DoipTimers {
  /** T_TCP_Initial_Inactivity: a socket without routing activation is closed after this. */
  initialInactivityMs: number
  /** T_TCP_General_Inactivity: an activated socket without traffic is closed after this. */
  generalInactivityMs: number
  /** T_TCP_Alive_Check: how long a tester has to answer an alive check. */
  aliveCheckMs: number
}

export const DEFAULT_DOIP_TIMERS: DoipTimers = { initialInactivityMs: 2000, generalInactivityMs: 5 * 60_000, aliveCheckMs: 500 }

/** Logical addresses a tester may activate routing with. */
export const TESTER_ADDRESSES = { first: 0x0e00, last: 0x0fff } as const

const ACTIVATION_TYPES: readonly number[] = [ACTIVATION_TYPE.default, ACTIVATION_TYPE.wwhObd]

export interface ConnectionHost {
  info: EntityInfo
  network: EcuNetwork
  timers: DoipTimers
  connections: Set<TesterConnection>
  log?: (line: string) => void
}

/**
 * One tester's TCP socket: routing activation, alive checks, entity status and power mode, and
 * diagnostic messages routed to the gateway's ECUs by target address.
 */
export class TesterConnection {
  /** The tester address routing was activated for. */
  sourceAddress: number | undefined
  private version: number = PROTOCOL_VERSION.iso13400_2012
  private readonly framer: DoipStreamFramer
  private timer: NodeJS.Timeout | undefined
  private aliveWaiter: (() => void) | undefined
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly socket: Socket,
    private readonly host: ConnectionHost
  ) {
    this.framer = new DoipStreamFramer({ maxPayloadLength: host.info.maxDataSize })
    socket.setNoDelay(true)
    this.arm(host.timers.initialInactivityMs, 'no routing activation')
    socket.on('data', (chunk: Buffer) => this.receive(chunk))
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(this.timer)
      this.aliveWaiter?.()
      host.connections.delete(this)
    })
  }

  close(): void {
    clearTimeout(this.timer)
    this.socket.destroy()
  }

  /** Sends an alive check request; true when the tester answers within T_TCP_Alive_Check. */
  aliveCheck(): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), this.host.timers.aliveCheckMs)
      const finish = (alive: boolean) => {
        clearTimeout(timer)
        this.aliveWaiter = undefined
        resolve(alive)
      }
      this.aliveWaiter = () => finish(!this.socket.destroyed)
      this.send({ type: 'aliveCheckRequest' })
    })
  }

  private arm(ms: number, why: string): void {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.host.log?.(`DoIP: closing a tester socket: ${why} for ${ms} ms`)
      this.close()
    }, ms)
  }

  private active(): void {
    if (this.sourceAddress !== undefined) this.arm(this.host.timers.generalInactivityMs, 'no traffic')
  }

  private send(message: DoipMessage): void {
    if (this.socket.destroyed) return
    this.socket.write(encodeDoipMessage(message, this.version))
    this.active()
  }

  private receive(chunk: Buffer): void {
    for (const event of this.framer.push(chunk)) {
      if (event.kind === 'error') {
        this.send({ type: 'genericNack', code: event.error.nack })
        if (event.error.closeConnection) this.socket.end()
        continue
      }
      this.version = event.header.version
      this.active()
      const message = event.message
      this.chain = this.chain.then(() => this.dispatch(message)).catch((err: Error) => this.host.log?.(`DoIP: ${err.message}`))
    }
  }

  private async dispatch(message: DoipMessage): Promise<void> {
    switch (message.type) {
      case 'routingActivationRequest':
        return this.activate(message)
      case 'aliveCheckRequest':
        return this.send({ type: 'aliveCheckResponse', sourceAddress: this.host.info.logicalAddress })
      case 'aliveCheckResponse':
        return this.aliveWaiter?.()
      case 'entityStatusRequest':
        return this.send(entityStatus(this.host.info, this.host.connections.size))
      case 'powerModeRequest':
        return this.send(powerMode)
      case 'diagnosticMessage':
        return this.diagnose(message)
      case 'genericNack':
      case 'diagnosticMessageAck':
      case 'diagnosticMessageNack':
        return
      default:
        // Identification requests and announcements belong on UDP; responses never come from a tester.
        return this.send({ type: 'genericNack', code: GENERIC_NACK.unknownPayloadType })
    }
  }

  private async activate({ sourceAddress, activationType }: RoutingActivationRequest): Promise<void> {
    const answer = (responseCode: number) =>
      this.send({ type: 'routingActivationResponse', testerAddress: sourceAddress, entityAddress: this.host.info.logicalAddress, responseCode })
    const deny = (responseCode: number) => {
      answer(responseCode)
      this.socket.end()
    }
    if (sourceAddress < TESTER_ADDRESSES.first || sourceAddress > TESTER_ADDRESSES.last) return deny(ROUTING_ACTIVATION_CODE.deniedUnknownSourceAddress)
    if (!ACTIVATION_TYPES.includes(activationType)) return deny(ROUTING_ACTIVATION_CODE.deniedUnsupportedActivationType)
    if (this.sourceAddress !== undefined && this.sourceAddress !== sourceAddress) return deny(ROUTING_ACTIVATION_CODE.deniedSourceAddressDifferent)
    if (this.sourceAddress === undefined) {
      const others = [...this.host.connections].filter((c) => c !== this && c.sourceAddress !== undefined)
      // The address is taken elsewhere: the other socket keeps it if its tester is still there.
      const holder = others.find((c) => c.sourceAddress === sourceAddress)
      if (holder) {
        if (await holder.aliveCheck()) return deny(ROUTING_ACTIVATION_CODE.deniedSourceAddressActiveElsewhere)
        holder.close()
      } else if (others.length >= this.host.info.maxOpenSockets) {
        const alive = await Promise.all(others.map((c) => c.aliveCheck()))
        if (alive.every(Boolean)) return deny(ROUTING_ACTIVATION_CODE.deniedAllSocketsRegistered)
        others.forEach((c, i) => !alive[i] && c.close())
      }
    }
    this.sourceAddress = sourceAddress
    answer(ROUTING_ACTIVATION_CODE.success)
  }

  private diagnose({ sourceAddress, targetAddress, userData }: DiagnosticMessage): void {
    const nack = (code: number) => this.send({ type: 'diagnosticMessageNack', sourceAddress: targetAddress, targetAddress: sourceAddress, code })
    if (this.sourceAddress === undefined || sourceAddress !== this.sourceAddress) {
      nack(DIAGNOSTIC_NACK.invalidSourceAddress)
      this.socket.end()
      return
    }
    const functional = targetAddress === FUNCTIONAL_ADDRESS
    const servers = functional ? this.host.network.servers : [this.host.network.server(targetAddress)].filter((s) => s !== undefined)
    if (servers.length === 0) return nack(DIAGNOSTIC_NACK.unknownTargetAddress)
    if (servers.some((s) => userData.length > s.maxRequestLength)) return nack(DIAGNOSTIC_NACK.diagnosticMessageTooLarge)
    // Acked on receipt in a write of its own, as a gateway acks before its ECU has answered: testers that read one message per segment (scapy) would lose a response sent along.
    this.send({ type: 'diagnosticMessageAck', sourceAddress: targetAddress, targetAddress: sourceAddress, code: DIAGNOSTIC_ACK.routingConfirmation })
    for (const server of servers) {
      void server.handle(userData, (response) => this.send({ type: 'diagnosticMessage', sourceAddress: server.address, targetAddress: sourceAddress, userData: response }), {
        functional
      })
    }
  }
}
