import { describe, expect, it } from 'vitest'
import { demoXorRotateKey } from './security-key'

const hex = (text: string) => new Uint8Array(Buffer.from(text.replace(/ /g, ''), 'hex'))

describe('demo seed/key algorithm', () => {
  it('XORs with 5E C0 DE <level> and rotates each byte left by 3', () => {
    // 11^5E=4F→7A, 22^C0=E2→17, 33^DE=ED→6F, 44^01=45→2A
    expect(demoXorRotateKey(hex('11 22 33 44'), 1)).toEqual(hex('7A 17 6F 2A'))
    // level 3: last constant byte 03; 44^03=47→3A. The constant repeats over longer seeds.
    expect(demoXorRotateKey(hex('11 22 33 44 11'), 3)).toEqual(hex('7A 17 6F 3A 7A'))
  })

  it('gives a different key per level', () => {
    expect(demoXorRotateKey(hex('00 00 00 00'), 1)).not.toEqual(demoXorRotateKey(hex('00 00 00 00'), 3))
  })
})
