import { describe, expect, it } from 'vitest'
import { parseAddress, parseDoipTarget } from './args'

describe('command line values', () => {
  it('reads a DoIP target with the ISO port by default, IPv6 in brackets', () => {
    expect(parseDoipTarget('192.168.0.10')).toEqual({ host: '192.168.0.10', port: 13400 })
    expect(parseDoipTarget('127.0.0.1:13401')).toEqual({ host: '127.0.0.1', port: 13401 })
    expect(parseDoipTarget('[fe80::1]:13402')).toEqual({ host: 'fe80::1', port: 13402 })
    expect(() => parseDoipTarget('127.0.0.1:70000')).toThrow('--doip: port 70000 is not 1-65535')
    expect(() => parseDoipTarget('fe80::1')).toThrow('--doip takes HOST[:PORT]')
  })

  it('reads logical addresses in hex, with or without 0x', () => {
    expect(parseAddress('0x1001')).toBe(0x1001)
    expect(parseAddress('0e80', '--tester')).toBe(0x0e80)
    expect(() => parseAddress('ECU_001')).toThrow('--ecu must be hex of at most 4 digits, got "ECU_001"')
    expect(() => parseAddress('0')).toThrow('--ecu: 0x0000 is not a logical address')
  })
})
