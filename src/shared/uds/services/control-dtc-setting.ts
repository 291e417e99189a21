import { echoByte, readEcho, readSubFunction, requestFrame, requestReader, responseFrame, responseReader, subFunctionByte } from '../frame'
import type { ServiceCodec } from '../service'
import { SID } from '../sids'

/** 0x85 ControlDTCSetting, e.g. 85 82 before flashing: stop recording DTCs, no positive response. */

export const DTC_SETTING = { on: 0x01, off: 0x02 } as const

export interface ControlDtcSettingRequest {
  settingType: number
  /** DTCSettingControlOptionRecord: optional, manufacturer-specific (often a DTC group). */
  option?: Uint8Array
  suppressPositiveResponse?: boolean
}

export interface ControlDtcSettingResponse {
  settingType: number
}

const sid = SID.controlDtcSetting

export const controlDtcSetting: ServiceCodec<ControlDtcSettingRequest, ControlDtcSettingResponse> = {
  sid,
  encodeRequest: ({ settingType, option = new Uint8Array(), suppressPositiveResponse }) =>
    requestFrame(sid, subFunctionByte(settingType, suppressPositiveResponse, 'DTCSettingType'), option),
  decodeRequest(bytes) {
    const reader = requestReader(bytes, sid)
    const { value: settingType, suppressPositiveResponse } = readSubFunction(reader, 'DTCSettingType')
    return { settingType, option: reader.rest(), suppressPositiveResponse }
  },
  encodeResponse: ({ settingType }) => responseFrame(sid, echoByte(settingType, 'DTCSettingType')),
  decodeResponse(bytes) {
    const reader = responseReader(bytes, sid)
    const settingType = readEcho(reader, 'DTCSettingType')
    reader.end('DTCSettingType')
    return { settingType }
  }
}
