import { randomBytes, verify } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import * as graphene from 'graphene-pk11'
import { openToken, type Token } from '../../src/crypto/pkcs11-token'
import { softhsmToken } from '../support/softhsm'
import { tempDir } from '../support/temp-dir'

// The backend's keys on a real PKCS#11 token (SoftHSM2): made there on first use, found again by
// label, used through it, and never readable: Node checks every signature with the public half.
describe('keys on a PKCS#11 token (SoftHSM2)', () => {
  const data = tempDir('ota-softhsm')
  const config = softhsmToken(data.dir)
  const opened: Token[] = []
  const open = (c = config) => {
    const token = openToken(c)
    opened.push(token)
    return token
  }
  afterAll(() => {
    for (const t of opened) t.close()
    data.remove()
  })

  // First: once this process is logged in to the token, PKCS#11 holds the login for all its sessions.
  it('names what is wrong with the module, the token or the PIN', () => {
    const flags = { module: '--pkcs11-module', token: '--pkcs11-token', pin: 'OTA_PKCS11_PIN' }
    expect(() => openToken({ ...config, pin: '0000' }, flags)).toThrow(/^token "ota-test" refused the PIN \(OTA_PKCS11_PIN\): CKR_PIN_INCORRECT/)
    expect(() => openToken({ ...config, token: 'nope' }, flags)).toThrow(`--pkcs11-token "nope": ${config.module} has no such token (it has: "ota-test")`)
    expect(() => openToken({ ...config, module: '/nonexistent/libpkcs11.so' }, flags)).toThrow(
      /^--pkcs11-module \/nonexistent\/libpkcs11\.so could not be loaded as a PKCS#11 module/
    )
    // A console's setting is named as the settings form names it.
    expect(() => openToken({ ...config, pin: '0000' })).toThrow(/^token "ota-test" refused the PIN: CKR_PIN_INCORRECT/)
    expect(() => openToken({ ...config, token: 'nope' })).toThrow(`token "nope": ${config.module} has no such token (it has: "ota-test")`)
  })

  it('seals and opens with an AES-256-GCM key made on the token; an altered byte or other associated data is refused', () => {
    const token = open()
    const secret = randomBytes(32)
    const sealed = token.seal('server', secret, Buffer.from('release rel_1'))
    expect(sealed.length).toBe(12 + 32 + 16)
    expect(token.open('server', sealed, Buffer.from('release rel_1')).equals(secret)).toBe(true)
    const altered = Buffer.from(sealed)
    altered[20]! ^= 1
    expect(() => token.open('server', altered, Buffer.from('release rel_1'))).toThrow()
    expect(() => token.open('server', sealed, Buffer.from('release rel_2'))).toThrow()
  })

  it('signs with ECDSA P-256 and Ed25519 keys made on the token; Node verifies both with the public halves', () => {
    const token = open()
    const message = Buffer.from('the TBS of a certificate')
    const ca = token.ecdsaP256('device-ca')
    expect(ca.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1')
    expect(verify('sha256', message, { key: ca.publicKey, dsaEncoding: 'ieee-p1363' }, ca.sign(message))).toBe(true)
    const timestamp = token.ed25519('tuf-timestamp')
    expect(timestamp.publicKey.asymmetricKeyType).toBe('ed25519')
    expect(verify(null, message, timestamp.publicKey, timestamp.sign(message))).toBe(true)
    expect(verify(null, Buffer.from('another message'), timestamp.publicKey, timestamp.sign(message))).toBe(false)
  })

  it('finds the same keys again in a new session; their private and secret values cannot be read out', () => {
    const first = open()
    const again = open()
    expect(again.ecdsaP256('device-ca').publicKey.export({ format: 'der', type: 'spki' })).toEqual(first.ecdsaP256('device-ca').publicKey.export({ format: 'der', type: 'spki' }))
    expect(again.open('server', first.seal('server', Buffer.from('kept')))).toEqual(Buffer.from('kept'))
    expect(again.labels().sort()).toEqual(['device-ca', 'device-ca', 'server', 'tuf-timestamp', 'tuf-timestamp'])
    // Read as an independent PKCS#11 client would (graphene on the same token): the values are sensitive.
    const mod = graphene.Module.load(config.module)
    mod.initialize()
    const session = mod.getSlots(0).open(graphene.SessionFlag.SERIAL_SESSION)
    try {
      // This process is logged in already (PKCS#11 logs applications in, not sessions).
      expect(() => session.login(config.pin)).toThrow(/CKR_USER_ALREADY_LOGGED_IN/)
      for (const objectClass of [graphene.ObjectClass.SECRET_KEY, graphene.ObjectClass.PRIVATE_KEY]) {
        const found = session.find({ class: objectClass })
        expect(found.length).toBeGreaterThan(0)
        for (let i = 0; i < found.length; i++) {
          expect(found.items(i).getAttribute({ extractable: null, sensitive: null })).toEqual({ extractable: false, sensitive: true })
          expect(() => found.items(i).getAttribute({ value: null })).toThrow(/CKR_ATTRIBUTE_SENSITIVE/)
        }
      }
    } finally {
      session.close()
    }
  })
})
