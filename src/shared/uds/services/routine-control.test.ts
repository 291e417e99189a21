import { describe, expect, it } from 'vitest'
import { decodeEraseMemoryOption, eraseMemoryOption, ROUTINE, ROUTINE_CONTROL, routineControl } from './routine-control'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x31 RoutineControl', () => {
  it('starts eraseMemory (FF00) with an address and length format 0x44', () => {
    const option = eraseMemoryOption({ address: 0x00008000, size: 0x00010000 })
    const request = hex('31 01 FF 00 44 00 00 80 00 00 01 00 00')
    expect(routineControl.encodeRequest({ control: ROUTINE_CONTROL.start, routineId: ROUTINE.eraseMemory, option })).toEqual(request)
    const decoded = routineControl.decodeRequest(request)
    expect(decoded).toEqual({ control: 1, routineId: 0xff00, option, suppressPositiveResponse: false })
    expect(decodeEraseMemoryOption(decoded.option!)).toEqual({ address: 0x8000, size: 0x10000, addressLength: 4, sizeLength: 4 })
  })

  it('keeps narrower address and size fields as sent', () => {
    expect(eraseMemoryOption({ address: 0x1234, size: 0xff, addressLength: 2, sizeLength: 1 })).toEqual(hex('12 12 34 FF'))
    expect(decodeEraseMemoryOption(hex('12 12 34 FF'))).toEqual({ address: 0x1234, size: 0xff, addressLength: 2, sizeLength: 1 })
    expect(() => decodeEraseMemoryOption(hex('44 00 00 80'))).toThrow('eraseMemory option: memoryAddress needs 4 bytes, 3 left')
    expect(() => decodeEraseMemoryOption(hex('04 00 00 80 00'))).toThrow('addressAndLengthFormatIdentifier 0x04 needs 1 to 6 address and size bytes')
  })

  it('checks programming dependencies (FF01) and reads its status', () => {
    expect(routineControl.encodeRequest({ control: ROUTINE_CONTROL.start, routineId: ROUTINE.checkProgrammingDependencies })).toEqual(hex('31 01 FF 01'))
    expect(routineControl.decodeResponse(hex('71 01 FF 01 00'))).toEqual({ control: 1, routineId: 0xff01, status: hex('00') })
    expect(routineControl.encodeResponse({ control: 1, routineId: 0xff01, status: hex('00') })).toEqual(hex('71 01 FF 01 00'))
  })

  it('stops and asks for results', () => {
    expect(routineControl.encodeRequest({ control: ROUTINE_CONTROL.stop, routineId: 0x0203 })).toEqual(hex('31 02 02 03'))
    expect(routineControl.decodeRequest(hex('31 83 02 03'))).toEqual({
      control: ROUTINE_CONTROL.requestResults,
      routineId: 0x0203,
      option: hex(''),
      suppressPositiveResponse: true
    })
    expect(() => routineControl.decodeRequest(hex('31 01 FF'))).toThrow('0x31 request: routineIdentifier needs 2 bytes, 1 left')
  })
})
