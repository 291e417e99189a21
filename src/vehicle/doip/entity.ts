import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server } from 'node:net'
import { decodeDoipMessage, DEFAULT_MAX_PAYLOAD_LENGTH, type DoipMessage, DoipDecodeError, encodeDoipMessage, GENERIC_NACK, PROTOCOL_VERSION } from '../../shared/doip'
import type { EcuNetwork } from '../ecu/network'
import { type ConnectionHost, DEFAULT_DOIP_TIMERS, type DoipTimers, TesterConnection } from './connection'
import { announcement, answerUdp, eidFor, type EntityInfo, replyVersion } from './node-info'

/** The port ISO 13400-2 gives DoIP on UDP and TCP. */
export const DOIP_PORT = 13400

export interface DoipEntityOptions {
  network: EcuNetwork
  /** Address to listen on; 0.0.0.0 exposes the vehicle to the network (a workshop tester on another PC). */
  host?: string
  /** TCP port, 0 for any free one. */
  tcpPort?: number
  /** UDP port for vehicle identification; the TCP port's number when absent (any free one when that is 0). */
  udpPort?: number
  /**
   * Where the three vehicle announcements go at start: the broadcast address when listening on
   * 0.0.0.0, else the listening address, port 13400 (where testers listen); false sends none.
   */
  announce?: { address: string; port: number } | false
  timers?: Partial<DoipTimers>
  /** TCP_DATA sockets with routing activated at once. */
  maxSockets?: number
  log?: (line: string) => void
}

export interface DoipEntity {
  readonly host: string
  readonly tcpPort: number
  readonly udpPort: number
  readonly info: EntityInfo
  close(): Promise<void>
}

const ANNOUNCEMENTS = 3
const ANNOUNCEMENT_INTERVAL_MS = 500

/**
 * A vehicle's DoIP entity (ISO 13400-2), the gateway: vehicle identification and announcements
 * on UDP; routing activation and diagnostic messages to the vehicle's ECUs on TCP.
 */
export async function startDoipEntity(options: DoipEntityOptions): Promise<DoipEntity> {
  const host = options.host ?? '127.0.0.1'
  const { network } = options
  const eid = eidFor(network.vin)
  // Big enough for every ECU's longest request (a 0x36 block), and never below what a 2-byte maxNumberOfBlockLength needs.
  const maxDataSize = Math.max(DEFAULT_MAX_PAYLOAD_LENGTH, 4 + Math.max(...network.servers.map((s) => s.maxRequestLength)))
  const info: EntityInfo = { vin: network.vin, logicalAddress: network.gatewayAddress, eid, gid: eid, maxOpenSockets: options.maxSockets ?? 4, maxDataSize }
  const connectionHost: ConnectionHost = { info, network, timers: { ...DEFAULT_DOIP_TIMERS, ...options.timers }, connections: new Set(), log: options.log }

  const tcp: Server = createServer((socket) => connectionHost.connections.add(new TesterConnection(socket, connectionHost)))
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject)
    tcp.listen(options.tcpPort ?? DOIP_PORT, host, () => resolve())
  })
  const tcpPort = (tcp.address() as { port: number }).port

  const udp: UdpSocket = createSocket({ type: 'udp4', reuseAddr: true })
  const reply = (message: DoipMessage, version: number, to: { address: string; port: number }) =>
    udp.send(encodeDoipMessage(message, replyVersion(version)), to.port, to.address, (err) => err && options.log?.(`DoIP UDP: ${err.message}`))
  udp.on('message', (bytes, from) => {
    try {
      const { header, message } = decodeDoipMessage(bytes)
      const answer = answerUdp(message, info, connectionHost.connections.size)
      if (answer === 'unsupported') reply({ type: 'genericNack', code: GENERIC_NACK.unknownPayloadType }, header.version, from)
      else if (answer) reply(answer, header.version, from)
    } catch (err) {
      if (!(err instanceof DoipDecodeError)) throw err
      reply({ type: 'genericNack', code: err.nack }, PROTOCOL_VERSION.iso13400_2012, from)
    }
  })
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject)
    udp.bind(options.udpPort ?? tcpPort, host, () => resolve())
  })
  const udpPort = udp.address().port

  const target = options.announce ?? { address: host === '0.0.0.0' ? '255.255.255.255' : host, port: DOIP_PORT }
  const announcements: NodeJS.Timeout[] = []
  if (target) {
    udp.setBroadcast(true)
    for (let i = 0; i < ANNOUNCEMENTS; i++) announcements.push(setTimeout(() => reply(announcement(info), PROTOCOL_VERSION.iso13400_2012, target), i * ANNOUNCEMENT_INTERVAL_MS))
  }

  return {
    host,
    tcpPort,
    udpPort,
    info,
    async close() {
      announcements.forEach((t) => clearTimeout(t))
      connectionHost.connections.forEach((c) => c.close())
      await Promise.all([new Promise<void>((resolve) => tcp.close(() => resolve())), new Promise<void>((resolve) => udp.close(() => resolve()))])
    }
  }
}
