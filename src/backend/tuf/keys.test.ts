import { ml_dsa65 } from '@noble/post-quantum/ml-dsa.js'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../../test/support/temp-dir'
import { verifyMlDsa65 } from '../../vehicle/tuf-client'
import { loadOrCreateMlDsa } from './keys'

describe('the ML-DSA-65 target key, with Node 24 native ML-DSA', () => {
  const dirs: { remove(): void }[] = []
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()))
  const dir = () => {
    const d = tempDir('ota-mldsa')
    dirs.push(d)
    return d.dir
  }

  it('makes a key on first use as a 0600 PKCS#8 file, and signs what an independent implementation verifies', () => {
    const file = join(dir(), 'mldsa65.key')
    const key = loadOrCreateMlDsa(file)
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(loadOrCreateMlDsa(file).publicKeyHex).toBe(key.publicKeyHex)
    const message = Buffer.from('{"length":3,"path":"fw.bin","sha256":"ab"}')
    expect(ml_dsa65.verify(new Uint8Array(Buffer.from(key.sign(message), 'hex')), new Uint8Array(message), new Uint8Array(Buffer.from(key.publicKeyHex, 'hex')))).toBe(true)
    expect(ml_dsa65.verify(new Uint8Array(Buffer.from(key.sign(message), 'hex')), new Uint8Array(Buffer.from('other')), new Uint8Array(Buffer.from(key.publicKeyHex, 'hex')))).toBe(
      false
    )
  })

  it('keeps the key a data directory made before Node 24 (raw, as @noble/post-quantum wrote it), so vehicles that pinned it still verify', () => {
    const file = join(dir(), 'mldsa65.key')
    const legacy = ml_dsa65.keygen()
    writeFileSync(file, legacy.secretKey, { mode: 0o600 })
    const key = loadOrCreateMlDsa(file)
    expect(key.publicKeyHex).toBe(Buffer.from(legacy.publicKey).toString('hex'))
    const message = Buffer.from('target')
    expect(ml_dsa65.verify(new Uint8Array(Buffer.from(key.sign(message), 'hex')), new Uint8Array(message), legacy.publicKey)).toBe(true)
    expect(readFileSync(file).equals(Buffer.from(legacy.secretKey))).toBe(true)
  })

  it("the vehicle's native verification accepts an independent implementation's signature and refuses a changed one", () => {
    const { secretKey, publicKey } = ml_dsa65.keygen()
    const message = Buffer.from('{"length":3,"path":"fw.bin","sha256":"ab"}')
    const sig = Buffer.from(ml_dsa65.sign(new Uint8Array(message), secretKey))
    const publicHex = Buffer.from(publicKey).toString('hex')
    expect(verifyMlDsa65(publicHex, message, sig.toString('hex'))).toBe(true)
    sig[10] = sig[10]! ^ 1
    expect(verifyMlDsa65(publicHex, message, sig.toString('hex'))).toBe(false)
    expect(verifyMlDsa65('00', message, sig.toString('hex'))).toBe(false)
  })
})
