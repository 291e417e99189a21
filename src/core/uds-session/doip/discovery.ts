import { createSocket } from 'node:dgram'
import { decodeDoipMessage, describeFurtherAction, encodeDoipMessage, PROTOCOL_VERSION } from '../../../shared/doip'
import { toHex } from '../../../shared/uds'
import { DOIP_PORT } from './connection'

export interface DiscoveredEntity {
  vin: string
  logicalAddress: number
  eid: string
  gid: string
  furtherAction: string
  /** Where the announcement came from: the entity's address and port (its TCP port, as entities listen on both). */
  host: string
  port: number
}

export interface DiscoveryOptions {
  /** Broadcast by default; a unicast address asks one host. */
  address?: string
  port?: number
  /** How long to collect answers (A_DoIP_Ctrl is 2 s). */
  timeoutMs?: number
}

/**
 * UDP vehicle identification: one request (protocol version 0xFF, as a tester that does not know
 * the vehicle yet sends it), then every vehicle announcement that comes back within the timeout,
 * once per entity.
 */
export async function discoverEntities(options: DiscoveryOptions = {}): Promise<DiscoveredEntity[]> {
  const address = options.address ?? '255.255.255.255'
  const port = options.port ?? DOIP_PORT
  const socket = createSocket({ type: 'udp4', reuseAddr: true })
  const found = new Map<string, DiscoveredEntity>()
  socket.on('message', (bytes, from) => {
    try {
      const { message } = decodeDoipMessage(new Uint8Array(bytes))
      if (message.type !== 'vehicleAnnouncement') return
      const entity = {
        vin: message.vin,
        logicalAddress: message.logicalAddress,
        eid: toHex(message.eid, ':'),
        gid: toHex(message.gid, ':'),
        furtherAction: describeFurtherAction(message.furtherAction).name,
        host: from.address,
        port: from.port
      }
      found.set(`${entity.host}:${entity.port}/${entity.eid}`, entity)
    } catch {
      // Not DoIP, or not for us: discovery listens to whatever answers.
    }
  })
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(0, () => resolve())
    })
    socket.setBroadcast(true)
    await new Promise<void>((resolve, reject) =>
      socket.send(encodeDoipMessage({ type: 'vehicleIdentificationRequest' }, PROTOCOL_VERSION.vehicleIdentificationDefault), port, address, (err) =>
        err ? reject(err) : resolve()
      )
    )
    await new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 2000))
    // Answers that arrived by the deadline but wait behind the timer in a busy event loop still count.
    await new Promise((resolve) => setImmediate(resolve))
  } finally {
    socket.close()
  }
  return [...found.values()].sort((a, b) => a.vin.localeCompare(b.vin) || a.port - b.port)
}
