import { describe, expect, it } from 'vitest'
import { BUILTIN_DID_CATALOG, decodeDidValue, DID, type DidDefinition, encodeDidValue, fixedDidLength } from './did-catalog'
import { UdsDecodeError } from './errors'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))
const builtin = (id: number): DidDefinition => BUILTIN_DID_CATALOG.get(id)!

describe('DID catalog', () => {
  it('holds the ISO identifiers a console reads', () => {
    for (const id of [0xf186, 0xf187, 0xf188, 0xf18c, 0xf190, 0xf191, 0xf195, 0xf197]) expect(BUILTIN_DID_CATALOG.has(id)).toBe(true)
    expect(fixedDidLength(BUILTIN_DID_CATALOG, DID.vin)).toBe(17)
    expect(fixedDidLength(BUILTIN_DID_CATALOG, DID.sparePartNumber)).toBeUndefined()
    expect(fixedDidLength(BUILTIN_DID_CATALOG, 0x1234)).toBeUndefined()
  })

  it('decodes the VIN and drops padding of text fields', () => {
    expect(decodeDidValue(builtin(DID.vin), hex('57 30 4C 30 30 30 30 35 31 54 32 31 32 33 34 35 36'))).toBe('W0L000051T2123456')
    expect(decodeDidValue(builtin(DID.sparePartNumber), hex('31 32 33 20 20 00 FF'))).toBe('123')
    expect(() => decodeDidValue(builtin(DID.vin), hex('57 30'))).toThrow(new UdsDecodeError('DID F190 (VIN): needs 17 bytes, got 2'))
  })

  it('encodes text padded to a fixed length and refuses what does not fit', () => {
    const vin: DidDefinition = { id: 0xf190, name: 'VIN', type: 'ascii', length: 17 }
    expect(encodeDidValue(vin, 'W0L000051T2123456')).toEqual(hex('57 30 4C 30 30 30 30 35 31 54 32 31 32 33 34 35 36'))
    expect(encodeDidValue(vin, 'ABC')).toEqual(hex('41 42 43 20 20 20 20 20 20 20 20 20 20 20 20 20 20'))
    expect(() => encodeDidValue(vin, 'W0L000051T21234567')).toThrow('DID F190 (VIN): takes 17 characters, got 18')
    expect(() => encodeDidValue(vin, 'Wé')).toThrow('is not printable ASCII')
  })

  it('handles uint, hex and bcd values', () => {
    expect(decodeDidValue(builtin(DID.activeDiagnosticSession), hex('03'))).toBe(3)
    expect(encodeDidValue(builtin(DID.activeDiagnosticSession), 3)).toEqual(hex('03'))
    expect(encodeDidValue(builtin(DID.activeDiagnosticSession), '2')).toEqual(hex('02'))
    expect(() => encodeDidValue(builtin(DID.activeDiagnosticSession), 256)).toThrow(RangeError)
    expect(decodeDidValue(builtin(DID.fingerprint), hex('24 01 31 0A'))).toBe('2401310A')
    expect(encodeDidValue(builtin(DID.fingerprint), '24 01 31 0a')).toEqual(hex('24 01 31 0A'))
    expect(decodeDidValue(builtin(DID.programmingDate), hex('24 01 31'))).toBe('240131')
    expect(encodeDidValue(builtin(DID.programmingDate), '40131')).toEqual(hex('04 01 31'))
    expect(() => decodeDidValue(builtin(DID.programmingDate), hex('24 0A 31'))).toThrow('DID F199 (Programming date): byte 0x0A is not BCD')
  })
})
