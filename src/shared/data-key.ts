import { z } from 'zod'

/**
 * How a data key reaches one recipient (a vehicle gateway, a workshop console) and nobody else:
 * X-Wing (X25519 + ML-KEM-768, draft-connolly-cfrg-xwing-kem) to the recipient's public key; its
 * shared secret through HKDF-SHA256 (RFC 5869) with `info` naming the recipient and what the key
 * opens; AES-256-GCM over the data key with that same text as associated data. A wrapper moved to
 * another vehicle, release or bundle does not open.
 */
export const DATA_KEY_ALG = 'X-Wing+HKDF-SHA256+A256GCM'

const decodedLength = (s: string) => (s.length / 4) * 3 - (s.endsWith('==') ? 2 : s.endsWith('=') ? 1 : 0)

const base64Of = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, `${what} is not base64`)
    .refine((s) => decodedLength(s) === bytes, `${what} is not ${bytes} bytes`)

/** An X-Wing public key, base64 (1216 bytes: ML-KEM-768's, then X25519's). */
export const KemPublicKey = base64Of(1216, 'the X-Wing public key')

export const WrappedDataKey = z.object({
  alg: z.literal(DATA_KEY_ALG),
  recipient: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe("sha256 of the recipient's X-Wing public key"),
  encapsulation: base64Of(1120, 'the X-Wing ciphertext'),
  wrapped: base64Of(60, 'the wrapped data key').describe('AES-256-GCM: IV (12) ‖ data key (32) ‖ tag (16)')
})
export type WrappedDataKey = z.infer<typeof WrappedDataKey>

/** The binding text of a vehicle's key for one release. */
export const vehicleDataKeyContext = (vin: string, releaseId: string) => `ota-data-key/1 vehicle ${vin} release ${releaseId}`

/** The binding text of a workshop console's key for one offline bundle. */
export const bundleDataKeyContext = (workshopId: string, bundleId: string) => `ota-data-key/1 workshop ${workshopId} bundle ${bundleId}`
