import { describe, expect, it } from 'vitest'
import { BUILTIN_DID_CATALOG, DID, encodeDidValue } from '../did-catalog'
import { writeDataByIdentifier } from './write-data-by-identifier'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('0x2E WriteDataByIdentifier', () => {
  it('writes a VIN built from its display value', () => {
    const data = encodeDidValue(BUILTIN_DID_CATALOG.get(DID.vin)!, 'W0L000051T2123456')
    const request = hex('2E F1 90 57 30 4C 30 30 30 30 35 31 54 32 31 32 33 34 35 36')
    expect(writeDataByIdentifier.encodeRequest({ did: DID.vin, data })).toEqual(request)
    expect(writeDataByIdentifier.decodeRequest(request)).toEqual({ did: 0xf190, data })
  })

  it('answers with the DID', () => {
    expect(writeDataByIdentifier.encodeResponse({ did: 0xf15a })).toEqual(hex('6E F1 5A'))
    expect(writeDataByIdentifier.decodeResponse(hex('6E F1 5A'))).toEqual({ did: 0xf15a })
  })

  it('rejects a write without data', () => {
    expect(() => writeDataByIdentifier.decodeRequest(hex('2E F1 90'))).toThrow('0x2E request: no data record after the DID')
  })
})
