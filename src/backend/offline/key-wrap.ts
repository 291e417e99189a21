import { createCipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes } from 'node:crypto'
import { KEY_WRAP_ALG, keyWrapInfo } from '../../shared/bundle/key-wrap'
import type { WrappedKey } from '../../shared/bundle/manifest'

const x25519Public = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' })

/** A bundle's content key, readable only with the workshop's X25519 private key (see shared/bundle/key-wrap.ts). */
export function wrapContentKey(contentKey: Buffer, recipientHex: string, bundleId: string): WrappedKey {
  const recipient = Buffer.from(recipientHex, 'hex')
  const ephemeral = generateKeyPairSync('x25519')
  const ephemeralRaw = Buffer.from(ephemeral.publicKey.export({ format: 'jwk' }).x!, 'base64url')
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: x25519Public(recipient) })
  const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralRaw, recipient]), keyWrapInfo(bundleId), 32))
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', kek, iv)
  const body = Buffer.concat([cipher.update(contentKey), cipher.final()])
  return {
    alg: KEY_WRAP_ALG,
    recipient: createHash('sha256').update(recipient).digest('hex'),
    ephemeralPublicKey: ephemeralRaw.toString('hex'),
    wrapped: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64')
  }
}
