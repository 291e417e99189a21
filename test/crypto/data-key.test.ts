import { randomBytes } from 'node:crypto'
import { ml_kem768_x25519 as nobleXWing } from '@noble/post-quantum/hybrid.js'
import { describe, expect, it } from 'vitest'
import { DataKeyError, unwrapDataKey, wrapDataKey } from '../../src/crypto/data-key'
import { XWING, xwingDecapsulate, xwingEncapsulate, xwingKeyPair } from '../../src/crypto/xwing'
import { vehicleDataKeyContext, WrappedDataKey } from '../../src/shared/data-key'

const VIN_A = 'WOTA0000000000001'
const VIN_B = 'WOTA0000000000002'
const RELEASE = 'rel_0000000000aa'

const flipByte = (base64: string, at: number) => {
  const raw = Buffer.from(base64, 'base64')
  raw[at]! ^= 0x01
  return raw.toString('base64')
}

describe('X-Wing from Node’s own ML-KEM-768 and X25519, checked against an independent implementation (noble)', () => {
  it('derives the same public key from a seed as noble does', () => {
    const seed = randomBytes(32)
    expect(xwingKeyPair(seed).publicKey.equals(Buffer.from(nobleXWing.keygen(seed).publicKey))).toBe(true)
  })

  it('opens what noble encapsulates, and noble opens what it encapsulates', () => {
    const { seed, publicKey } = xwingKeyPair()
    const fromNoble = nobleXWing.encapsulate(publicKey)
    expect(xwingDecapsulate(seed, Buffer.from(fromNoble.cipherText)).equals(Buffer.from(fromNoble.sharedSecret))).toBe(true)

    const ours = xwingEncapsulate(publicKey)
    expect(ours.ciphertext).toHaveLength(XWING.ciphertextBytes)
    expect(Buffer.from(nobleXWing.decapsulate(ours.ciphertext, nobleXWing.keygen(seed).secretKey)).equals(ours.sharedSecret)).toBe(true)
  })

  it('another key pair gets another secret from the same ciphertext (ML-KEM rejects implicitly)', () => {
    const a = xwingKeyPair()
    const { sharedSecret, ciphertext } = xwingEncapsulate(a.publicKey)
    expect(xwingDecapsulate(xwingKeyPair().seed, ciphertext).equals(sharedSecret)).toBe(false)
  })

  it('refuses keys and ciphertexts of the wrong length, naming the length', () => {
    expect(() => xwingEncapsulate(randomBytes(1184))).toThrow('an X-Wing public key is 1216 bytes, not 1184')
    expect(() => xwingDecapsulate(randomBytes(32), randomBytes(1088))).toThrow('an X-Wing ciphertext is 1120 bytes, not 1088')
    expect(() => xwingKeyPair(randomBytes(16))).toThrow('an X-Wing private key is 32 bytes, not 16')
  })
})

describe('a data key wrapped for one vehicle and one release', () => {
  const vehicleA = xwingKeyPair()
  const vehicleB = xwingKeyPair()
  const dataKey = randomBytes(32)
  const context = vehicleDataKeyContext(VIN_A, RELEASE)
  const wrapped = wrapDataKey(dataKey, vehicleA.publicKey, context)

  it('opens for that vehicle, and the wrapper has the declared shape', () => {
    expect(WrappedDataKey.parse(wrapped)).toEqual(wrapped)
    expect(unwrapDataKey(wrapped, vehicleA.seed, context).equals(dataKey)).toBe(true)
  })

  it('a second vehicle with its own key cannot open it: the wrapper names another recipient', () => {
    expect(() => unwrapDataKey(wrapped, vehicleB.seed, vehicleDataKeyContext(VIN_B, RELEASE))).toThrow(DataKeyError)
    expect(() => unwrapDataKey(wrapped, vehicleB.seed, vehicleDataKeyContext(VIN_B, RELEASE))).toThrow(/wrapped for another key/)
  })

  it('a wrapper relabelled for another recipient still opens nothing', () => {
    const relabelled = { ...wrapped, recipient: wrapDataKey(dataKey, vehicleB.publicKey, context).recipient }
    expect(() => unwrapDataKey(relabelled, vehicleB.seed, context)).toThrow(/does not open .*altered, or made for another one/)
  })

  it('a tampered encapsulation or wrapped key is refused, not opened to garbage', () => {
    for (const tampered of [
      { ...wrapped, encapsulation: flipByte(wrapped.encapsulation, 10) },
      { ...wrapped, encapsulation: flipByte(wrapped.encapsulation, XWING.ciphertextBytes - 5) },
      { ...wrapped, wrapped: flipByte(wrapped.wrapped, 20) },
      { ...wrapped, wrapped: flipByte(wrapped.wrapped, 59) }
    ]) {
      expect(() => unwrapDataKey(tampered, vehicleA.seed, context)).toThrow(/does not open for vehicle WOTA0000000000001 release rel_0000000000aa/)
    }
  })

  it('is bound to the release: the same vehicle cannot use it as the key of another release', () => {
    expect(() => unwrapDataKey(wrapped, vehicleA.seed, vehicleDataKeyContext(VIN_A, 'rel_0000000000bb'))).toThrow(DataKeyError)
  })

  it('the schema refuses a wrapper whose parts have the wrong size', () => {
    const short = WrappedDataKey.safeParse({ ...wrapped, encapsulation: Buffer.alloc(1088).toString('base64') })
    expect(short.success).toBe(false)
    expect(short.error?.issues[0]?.message).toBe('the X-Wing ciphertext is not 1120 bytes')
  })
})
