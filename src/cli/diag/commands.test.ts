import { describe, expect, it } from 'vitest'
import { BUILTIN_DID_CATALOG, encodeUdsRequest, toHex } from '../../shared/uds'
import { parseDiagCommands } from './commands'
import { didRequests } from './run-command'

const parse = (line: string) => parseDiagCommands(line.split(' '))

describe('diag command line', () => {
  it('turns each command into the service and sub-function it names', () => {
    expect(parse('session extended then security then read-dtcs count 08 then read-dtcs snapshot P0123-45 then routine start erase 44000000000000FFFF')).toEqual([
      { command: 'session', session: 0x03 },
      { command: 'security', level: 0x01 },
      { command: 'read-dtcs', report: 0x01, statusMask: 0x08 },
      { command: 'read-dtcs', report: 0x04, dtc: 0x012345, record: 0xff },
      { command: 'routine', control: 0x01, routineId: 0xff00, option: Uint8Array.of(0x44, 0, 0, 0, 0, 0, 0, 0xff, 0xff) }
    ])
    expect(parse('read-dtcs')).toEqual([{ command: 'read-dtcs', report: 0x02, statusMask: 0xff }])
    expect(parse('read-dtcs extended 012345 02')).toEqual([{ command: 'read-dtcs', report: 0x06, dtc: 0x012345, record: 0x02 }])
    expect(parse('routine results check-deps')).toEqual([{ command: 'routine', control: 0x03, routineId: 0xff01, option: undefined }])
    expect(parse('comm-control disable-rx-tx both')).toEqual([{ command: 'comm-control', controlType: 0x03, communicationType: 0x03, nodeId: undefined }])
    expect(parse('dtc-setting off then reset soft then clear-dtcs')).toEqual([
      { command: 'dtc-setting', settingType: 0x02 },
      { command: 'reset', resetType: 0x03 },
      { command: 'clear-dtcs', group: 0xffffff }
    ])
    const [raw] = parse('raw 22 F1 90')
    expect(raw?.command === 'raw' && toHex(raw.bytes)).toBe(toHex(encodeUdsRequest({ service: 'readDataByIdentifier', dids: [0xf190] })))
  })

  it('says what is wrong before anything is sent', () => {
    expect(() => parse('session sleepy')).toThrow('session: "sleepy" is none of default, programming, extended, safety, nor a hex byte')
    expect(() => parse('security 02')).toThrow('the security level is the odd requestSeed sub-function (01, 03, …), got 02')
    expect(() => parse('read-did')).toThrow('read-did takes one or more DIDs, e.g. read-did F190 F195')
    expect(() => parse('read-did F190 then')).toThrow('"then" must join two commands')
    expect(() => parse('write-did F198')).toThrow('write-did takes DID VALUE (quote a value with spaces); got "F198"')
    expect(() => parse('comm-control 04')).toThrow('comm-control 04 and 05 take a NODE; other control types take none')
    expect(() => parse('read-dtcs snapshot Q0123')).toThrow('DTC "Q0123" must be hex of at most 6 digits, got "Q0123"')
    expect(() => parse('flash')).toThrow('"flash" is not a diag command')
    expect(() => parseDiagCommands([])).toThrow('Which diag command? e.g. read-did F190')
  })

  it('reads several DIDs in as few requests as the catalog can split', () => {
    // The VIN has a fixed length; F195 and F187 do not, so each ends a request.
    expect(didRequests([0xf190, 0xf195, 0xf187, 0xf190], BUILTIN_DID_CATALOG)).toEqual([[0xf190, 0xf195], [0xf187], [0xf190]])
    expect(didRequests([0xf190, 0xf186], BUILTIN_DID_CATALOG)).toEqual([[0xf190, 0xf186]])
  })
})
