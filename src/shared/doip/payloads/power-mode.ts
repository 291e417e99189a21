import { u8 } from '../../uds/bytes'
import { codeLookup, codesByName } from '../codes'
import { emptyPayload, type PayloadCodec } from './payload-codec'

/** 0x4003 diagnostic power mode request and 0x4004 response: is the vehicle ready for reliable diagnostics. */

const POWER_MODE_ENTRIES = [
  [0x00, 'notReady', 'Not ready for diagnostics'],
  [0x01, 'ready', 'Ready for diagnostics'],
  [0x02, 'notSupported', 'Power mode not supported']
] as const
export const POWER_MODE = codesByName(POWER_MODE_ENTRIES)
export const describePowerMode = codeLookup(POWER_MODE_ENTRIES, () => 'reserved')

export interface PowerModeResponse {
  powerMode: number
}

export const powerModeRequest = emptyPayload

export const powerModeResponse: PayloadCodec<PowerModeResponse> = {
  encode: ({ powerMode }) => u8(powerMode, 'power mode'),
  decode: (reader) => ({ powerMode: reader.u8('power mode') })
}
