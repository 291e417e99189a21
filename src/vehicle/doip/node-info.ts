import { type DoipMessage, FURTHER_ACTION, NODE_TYPE, POWER_MODE, PROTOCOL_VERSION, SYNC_STATUS } from '../../shared/doip'
import { hashSeed } from '../ecu/clock'

/** What a DoIP entity says about itself: in announcements, and to entity status and power mode requests. */
export interface EntityInfo {
  vin: string
  logicalAddress: number
  /** Entity identification, a MAC address in a real vehicle. */
  eid: Uint8Array
  /** Group identification: the same as the EID in a vehicle with one gateway. */
  gid: Uint8Array
  maxOpenSockets: number
  /** The largest diagnostic message it takes (SA, TA and the longest request of its ECUs), as entity status tells. */
  maxDataSize: number
}

/** A stable, locally administered MAC-like EID from the VIN. */
export function eidFor(vin: string): Uint8Array {
  const a = hashSeed(vin)
  const b = hashSeed(`${vin}/eid`)
  return Uint8Array.of(0x02, a >>> 24, (a >>> 16) & 0xff, (a >>> 8) & 0xff, a & 0xff, b & 0xff)
}

export const formatEid = (eid: Uint8Array) => Array.from(eid, (b) => b.toString(16).padStart(2, '0')).join(':')

/** Replies are in the version the tester spoke, 2012 when it used the identification default 0xFF. */
export const replyVersion = (version: number) => (version === PROTOCOL_VERSION.vehicleIdentificationDefault ? PROTOCOL_VERSION.iso13400_2012 : version)

export function announcement(info: EntityInfo): DoipMessage {
  return {
    type: 'vehicleAnnouncement',
    vin: info.vin,
    logicalAddress: info.logicalAddress,
    eid: info.eid,
    gid: info.gid,
    furtherAction: FURTHER_ACTION.noFurtherActionRequired,
    syncStatus: SYNC_STATUS.synchronized
  }
}

export function entityStatus(info: EntityInfo, openSockets: number): DoipMessage {
  return { type: 'entityStatusResponse', nodeType: NODE_TYPE.gateway, maxOpenSockets: info.maxOpenSockets, openSockets, maxDataSize: info.maxDataSize }
}

/** The simulated vehicle is always awake and ready for diagnostics. */
export const powerMode: DoipMessage = { type: 'powerModeResponse', powerMode: POWER_MODE.ready }

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i])

/**
 * The answer to a UDP message: identification requests (plain, by EID, by VIN: silence when
 * neither matches), entity status and power mode. Undefined means no answer; 'unsupported' a
 * payload type that does not belong on UDP (generic NACK 0x01).
 */
export function answerUdp(message: DoipMessage, info: EntityInfo, openSockets: number): DoipMessage | 'unsupported' | undefined {
  switch (message.type) {
    case 'vehicleIdentificationRequest':
      return announcement(info)
    case 'vehicleIdentificationRequestByEid':
      return sameBytes(message.eid, info.eid) ? announcement(info) : undefined
    case 'vehicleIdentificationRequestByVin':
      return message.vin === info.vin ? announcement(info) : undefined
    case 'entityStatusRequest':
      return entityStatus(info, openSockets)
    case 'powerModeRequest':
      return powerMode
    // Other entities' announcements (and our own, on a broadcast) and NACKs need no answer.
    case 'vehicleAnnouncement':
    case 'genericNack':
      return undefined
    default:
      return 'unsupported'
  }
}
