import { createDecipheriv } from 'node:crypto'
import { sealedParts } from '../shared/sealed-format'

/** Opens firmware sealed with a release's data key; throws if altered or sealed with another key. */
export function unseal(sealed: Buffer, dataKey: Buffer): Buffer {
  const parts = sealedParts(sealed)
  if (typeof parts === 'string') throw new Error(parts)
  const decipher = createDecipheriv('aes-256-gcm', dataKey, parts.iv)
  decipher.setAuthTag(parts.tag)
  return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()])
}
