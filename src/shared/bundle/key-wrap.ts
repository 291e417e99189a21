/**
 * How a bundle's content key reaches one workshop console: ephemeral-static X25519, HKDF-SHA256
 * (salt = ephemeral public key | recipient public key, info naming the bundle), AES-256-GCM.
 * The backend wraps, the workshop unwraps; both follow these constants.
 */
export const KEY_WRAP_ALG = 'X25519-HKDF-SHA256-A256GCM'

/** Binds a wrapped key to its bundle: moved into another bundle's manifest, it does not open. */
export const keyWrapInfo = (bundleId: string) => `ota-offline-bundle/1 content key for ${bundleId}`
