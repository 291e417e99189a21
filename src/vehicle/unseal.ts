import { createDecipheriv } from 'node:crypto'
import { sealedParts } from '../shared/sealed-format'

/** Opens firmware sealed with this vehicle model's key; throws if altered or sealed for another model. */
export function unseal(sealed: Buffer, modelKey: Buffer): Buffer {
  const parts = sealedParts(sealed)
  if (typeof parts === 'string') throw new Error(parts)
  const decipher = createDecipheriv('aes-256-gcm', modelKey, parts.iv)
  decipher.setAuthTag(parts.tag)
  return Buffer.concat([decipher.update(parts.ciphertext), decipher.final()])
}
