import { afterEach, describe, expect, it } from 'vitest'
import { offeredGroups, requireGroup } from './tls-groups'

const none = () => false

describe('a minimum this runtime cannot offer is refused, naming its TLS library', () => {
  afterEach(() => {
    Reflect.deleteProperty(process.versions, 'electron')
  })

  it("names Node's OpenSSL and its version in plain Node", () => {
    expect(() => offeredGroups('quantum-safe', none)).toThrow(`OpenSSL ${process.versions.openssl} has none of X25519MLKEM768`)
  })

  it('names BoringSSL inside Electron, whose Node reports an OpenSSL-style version it does not link', () => {
    Object.defineProperty(process.versions, 'electron', { value: '45.5.0', configurable: true, enumerable: true })
    expect(() => offeredGroups('quantum-safe', none)).toThrow(
      /^BoringSSL \(Electron 45\.5\.0\) has none of X25519MLKEM768, .*: it cannot give a quantum-safe key exchange \(ML-KEM\)$/
    )
  })
})

describe('a server asked for a group this runtime lacks', () => {
  it('is refused with the group, what asked for it, and the library', () => {
    expect(() => requireGroup('NOPE768', 'security profile 99')).toThrow(
      `security profile 99 needs the key exchange NOPE768, which OpenSSL ${process.versions.openssl} does not have`
    )
    expect(requireGroup('X25519MLKEM768', 'security profile 2')).toBe('X25519MLKEM768')
  })
})
