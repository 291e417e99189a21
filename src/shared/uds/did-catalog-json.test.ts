import { describe, expect, it } from 'vitest'
import { BUILTIN_DID_CATALOG } from './did-catalog'
import { DidCatalogError, loadDidCatalog } from './did-catalog-json'

describe('DID catalog from JSON', () => {
  it('merges OEM entries over the built-in ones', () => {
    const catalog = loadDidCatalog(
      JSON.stringify({
        dids: [
          { id: 'F187', name: 'Spare part number', length: 10, type: 'ascii' },
          { id: '0x0101', name: 'Odometer', length: 3, type: 'uint' }
        ]
      })
    )
    expect(catalog.get(0xf187)).toEqual({ id: 0xf187, name: 'Spare part number', length: 10, type: 'ascii' })
    expect(catalog.get(0x0101)).toEqual({ id: 0x0101, name: 'Odometer', length: 3, type: 'uint' })
    expect(catalog.get(0xf190)).toBe(BUILTIN_DID_CATALOG.get(0xf190))
    expect(BUILTIN_DID_CATALOG.get(0xf187)?.length).toBe('variable')
  })

  it('names the bad entry and what is wrong with it', () => {
    const bad = (entry: object) => () => loadDidCatalog({ dids: [{ id: 'F1A0', name: 'Fine', length: 4, type: 'hex' }, entry] })
    expect(bad({ id: 'F1A1', name: 'Odometer', length: 'variable', type: 'uint' })).toThrow(
      new DidCatalogError('DID catalog entry 1 (F1A1 "Odometer"): length: a uint needs a fixed length of 1 to 6 bytes')
    )
    expect(bad({ id: 'XYZ', name: 'Broken', length: 1, type: 'hex' })).toThrow('DID catalog entry 1 (XYZ "Broken"): id: id must be 4 hex digits, like "F1A0"')
    expect(bad({ id: 'F1A2', name: 'Temp', length: 1, type: 'float' })).toThrow('DID catalog entry 1 (F1A2 "Temp"): type: type must be one of ascii, hex, uint, bcd')
    expect(bad({ id: 'F1A3', name: 'Zero', length: 0, type: 'hex' })).toThrow('DID catalog entry 1 (F1A3 "Zero"): length: length must be a byte count (1 to 65535) or "variable"')
    expect(bad({ id: 'F1A4', name: 'Extra', length: 1, type: 'hex', unit: 'km' })).toThrow('DID catalog entry 1 (F1A4 "Extra")')
    expect(bad({ id: 'f1a0', name: 'Again', length: 1, type: 'hex' })).toThrow('DID catalog entry 1 (f1a0 "Again"): id already defined by entry 0')
    expect(() => loadDidCatalog({ dids: ['F190'] })).toThrow('DID catalog entry 0: ')
  })

  it('rejects a file that is not a catalog', () => {
    expect(() => loadDidCatalog('{ not json')).toThrow(/^DID catalog is not JSON: /)
    expect(() => loadDidCatalog({ entries: [] })).toThrow(DidCatalogError)
    expect(() => loadDidCatalog([])).toThrow('DID catalog: a DID catalog is an object { "dids": [...] }')
  })
})
