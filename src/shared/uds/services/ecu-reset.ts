import { u8 } from '../bytes'
import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x11 ECUReset. */

export const RESET_TYPE = { hardReset: 0x01, keyOffOnReset: 0x02, softReset: 0x03, enableRapidPowerShutDown: 0x04, disableRapidPowerShutDown: 0x05 } as const

export interface EcuResetRequest {
  resetType: number
  suppressPositiveResponse?: boolean
}

/** powerDownTime (seconds) comes only with enableRapidPowerShutDown. */
export interface EcuResetResponse {
  resetType: number
  powerDownTime?: number
}

const sid = SID.ecuReset

export const ecuReset: ServiceCodec<EcuResetRequest, EcuResetResponse> = {
  sid,
  encodeRequest: ({ resetType, suppressPositiveResponse }) => requestFrame(sid, subFunctionByte(resetType, suppressPositiveResponse, 'resetType')),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: resetType, suppressPositiveResponse } = readSubFunction(reader, 'resetType')
    reader.end('resetType')
    return { resetType, suppressPositiveResponse }
  },
  encodeResponse: ({ resetType, powerDownTime }) =>
    powerDownTime === undefined ? responseFrame(sid, echoByte(resetType, 'resetType')) : responseFrame(sid, echoByte(resetType, 'resetType'), u8(powerDownTime, 'powerDownTime')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const resetType = readEcho(reader, 'resetType')
    if (reader.remaining === 0) return { resetType }
    const powerDownTime = reader.u8('powerDownTime')
    reader.end('powerDownTime')
    return { resetType, powerDownTime }
  }
}
