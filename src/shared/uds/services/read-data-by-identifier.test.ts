import { describe, expect, it } from 'vitest'
import { BUILTIN_DID_CATALOG, DID } from '../did-catalog'
import { loadDidCatalog } from '../did-catalog-json'
import { UdsDecodeError } from '../errors'
import { readDataByIdentifier } from './read-data-by-identifier'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))
const VIN = hex('57 30 4C 30 30 30 30 35 31 54 32 31 32 33 34 35 36') // "W0L000051T2123456"

describe('0x22 ReadDataByIdentifier', () => {
  it('asks for several DIDs in one request', () => {
    expect(readDataByIdentifier.encodeRequest({ dids: [DID.vin, DID.activeDiagnosticSession] })).toEqual(hex('22 F1 90 F1 86'))
    expect(readDataByIdentifier.decodeRequest(hex('22 F1 90 F1 86'))).toEqual({ dids: [0xf190, 0xf186] })
  })

  it('splits a response of several DIDs by their catalog lengths', () => {
    const response = new Uint8Array([...hex('62 F1 90'), ...VIN, ...hex('F1 86 03')])
    const decoded = {
      records: [
        { did: 0xf190, data: VIN },
        { did: 0xf186, data: hex('03') }
      ]
    }
    expect(readDataByIdentifier.decodeResponse(response)).toEqual(decoded)
    expect(readDataByIdentifier.encodeResponse(decoded)).toEqual(response)
  })

  it('lets an unknown or variable-length DID take the rest, as the last of a response', () => {
    expect(readDataByIdentifier.decodeResponse(hex('62 F1 86 01 12 34 AA BB'))).toEqual({
      records: [
        { did: 0xf186, data: hex('01') },
        { did: 0x1234, data: hex('AA BB') }
      ]
    })
  })

  it('uses a caller catalog that fixes an OEM DID length', () => {
    const catalog = loadDidCatalog({ dids: [{ id: '1234', name: 'Odometer', length: 3, type: 'uint' }] }, BUILTIN_DID_CATALOG)
    expect(readDataByIdentifier.decodeResponse(hex('62 12 34 00 01 00 F1 86 02'), { didCatalog: catalog })).toEqual({
      records: [
        { did: 0x1234, data: hex('00 01 00') },
        { did: 0xf186, data: hex('02') }
      ]
    })
  })

  it('says which DID is short', () => {
    const short = hex('62 F1 90 57 30 4C 30 30')
    expect(() => readDataByIdentifier.decodeResponse(short)).toThrow(UdsDecodeError)
    expect(() => readDataByIdentifier.decodeResponse(short)).toThrow(/^0x22 response: DID F190 needs 17 bytes, 5 left$/)
    try {
      readDataByIdentifier.decodeResponse(short)
    } catch (error) {
      expect(String(error)).toBe('UdsDecodeError: 0x22 response: DID F190 needs 17 bytes, 5 left')
    }
  })

  it('rejects a request with no DID or half a DID', () => {
    expect(() => readDataByIdentifier.decodeRequest(hex('22'))).toThrow('0x22 request: needs one or more 2-byte DIDs, got 0 bytes')
    expect(() => readDataByIdentifier.decodeRequest(hex('22 F1 90 F1'))).toThrow('needs one or more 2-byte DIDs, got 3 bytes')
    expect(() => readDataByIdentifier.decodeResponse(hex('62'))).toThrow('0x22 response: no DID in the response')
  })
})
