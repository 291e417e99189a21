import { describe, expect, it } from 'vitest'
import { hasSubFunction, serviceNameOf, suppressesPositiveResponse } from './sids'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('service ids', () => {
  it('tells a transport whether to expect a positive response', () => {
    expect(suppressesPositiveResponse(hex('3E 80'))).toBe(true)
    expect(suppressesPositiveResponse(hex('85 82'))).toBe(true)
    expect(suppressesPositiveResponse(hex('10 03'))).toBe(false)
    // 0x22 has no sub-function: F1 80 is a DID, not a suppress bit.
    expect(suppressesPositiveResponse(hex('22 F1 80'))).toBe(false)
    expect(suppressesPositiveResponse(hex('3E'))).toBe(false)
  })

  it('maps SIDs to names', () => {
    expect(serviceNameOf(0x2e)).toBe('writeDataByIdentifier')
    expect(serviceNameOf(0x23)).toBeUndefined()
    expect(hasSubFunction(0x31)).toBe(true)
    expect(hasSubFunction(0x34)).toBe(false)
  })
})
