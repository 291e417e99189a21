import { type ByteReader, concatBytes, u16, u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'
import { emptyPayload, fixedBytes, type PayloadCodec, readVin, vinBytes } from './payload-codec'

/** 0x0001-0x0003 vehicle identification requests and 0x0004 vehicle announcement / identification response. */

const FURTHER_ACTION_ENTRIES = [
  [0x00, 'noFurtherActionRequired', 'No further action required'],
  [0x10, 'routingActivationRequiredForCentralSecurity', 'Routing activation with central security required']
] as const
export const FURTHER_ACTION = codesByName(FURTHER_ACTION_ENTRIES)
export const describeFurtherAction = codeLookup(FURTHER_ACTION_ENTRIES, (code) => (code > 0x10 ? 'oemSpecific' : 'reserved'))

const SYNC_STATUS_ENTRIES = [
  [0x00, 'synchronized', 'VIN and GID are synchronized among all DoIP entities'],
  [0x10, 'incomplete', 'VIN and GID are not synchronized yet']
] as const
export const SYNC_STATUS = codesByName(SYNC_STATUS_ENTRIES)
export const describeSyncStatus = codeLookup(SYNC_STATUS_ENTRIES, () => 'reserved')

export interface VehicleIdentificationRequestByEid {
  /** Entity identification, usually the MAC address: 6 bytes. */
  eid: Uint8Array
}

export interface VehicleIdentificationRequestByVin {
  vin: string
}

export interface VehicleAnnouncement {
  vin: string
  logicalAddress: number
  eid: Uint8Array
  /** Group identification: 6 bytes. */
  gid: Uint8Array
  furtherAction: number
  /** Present when the entity reports VIN/GID synchronization (gateways of a vehicle with several). */
  syncStatus?: number
}

export const vehicleIdentificationRequest = emptyPayload

export const vehicleIdentificationRequestByEid: PayloadCodec<VehicleIdentificationRequestByEid> = {
  encode: ({ eid }) => fixedBytes(eid, 6, 'EID'),
  decode: (reader) => ({ eid: reader.take(6, 'EID') })
}

export const vehicleIdentificationRequestByVin: PayloadCodec<VehicleIdentificationRequestByVin> = {
  encode: ({ vin }) => vinBytes(vin),
  decode: (reader) => ({ vin: readVin(reader) })
}

export const vehicleAnnouncement: PayloadCodec<VehicleAnnouncement> = {
  encode: ({ vin, logicalAddress, eid, gid, furtherAction, syncStatus }) =>
    concatBytes(
      vinBytes(vin),
      u16(logicalAddress, 'logical address'),
      fixedBytes(eid, 6, 'EID'),
      fixedBytes(gid, 6, 'GID'),
      u8(furtherAction, 'further action'),
      syncStatus === undefined ? new Uint8Array() : u8(syncStatus, 'sync status')
    ),
  decode(reader: ByteReader) {
    const announcement: VehicleAnnouncement = {
      vin: readVin(reader),
      logicalAddress: reader.u16('logical address'),
      eid: reader.take(6, 'EID'),
      gid: reader.take(6, 'GID'),
      furtherAction: reader.u8('further action')
    }
    return reader.remaining > 0 ? { ...announcement, syncStatus: reader.u8('sync status') } : announcement
  }
}
