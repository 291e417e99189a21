import { describe, expect, it } from 'vitest'
import { canonicalJson } from './canonical-json'

describe('canonicalJson', () => {
  it('sorts keys, drops white space, and escapes only quote and backslash', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x"y\\z\n'], c: { z: 0, y: -2 } })).toBe('{"a":[true,null,"x\\"y\\\\z\n"],"b":1,"c":{"y":-2,"z":0}}')
  })
  it('refuses floats, which TUF metadata never holds', () => {
    expect(() => canonicalJson({ v: 1.5 })).toThrow('canonical JSON has no floats: 1.5')
  })
})
