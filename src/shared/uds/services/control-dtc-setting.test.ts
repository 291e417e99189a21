import { describe, expect, it } from 'vitest'
import { controlDtcSetting, DTC_SETTING } from './control-dtc-setting'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x85 ControlDTCSetting', () => {
  it('turns DTC recording off without answer (85 82) and on again', () => {
    expect(controlDtcSetting.encodeRequest({ settingType: DTC_SETTING.off, suppressPositiveResponse: true })).toEqual(hex('85 82'))
    expect(controlDtcSetting.decodeRequest(hex('85 82'))).toEqual({ settingType: 2, option: hex(''), suppressPositiveResponse: true })
    expect(controlDtcSetting.encodeRequest({ settingType: DTC_SETTING.on })).toEqual(hex('85 01'))
    expect(controlDtcSetting.encodeResponse({ settingType: 1 })).toEqual(hex('C5 01'))
    expect(controlDtcSetting.decodeResponse(hex('C5 01'))).toEqual({ settingType: 1 })
  })

  it('carries an option record', () => {
    expect(controlDtcSetting.encodeRequest({ settingType: 2, option: hex('FF FF FF') })).toEqual(hex('85 02 FF FF FF'))
  })

  it('rejects an echo with the suppress bit', () => {
    expect(() => controlDtcSetting.decodeResponse(hex('C5 82'))).toThrow('0x85 response: DTCSettingType 0x82 has bit 7 set')
  })
})
