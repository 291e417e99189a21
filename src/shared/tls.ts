/**
 * The TLS key-exchange groups every link of the product offers, best first, in the names Node's
 * `ecdhCurve` takes (OpenSSL 3.5 in Node 24; BoringSSL in Electron knows the same names).
 * X25519MLKEM768 (TLS group 0x11ec) is the hybrid of X25519 and ML-KEM-768: a recorded session
 * stays secret unless both are broken, so it holds against a future quantum computer. The
 * classical groups after it let an older peer (a broker built with OpenSSL 3.0) still connect.
 * A client sends its key share for the first group; a classical server answers with a retry
 * request for X25519, one round trip more, and nothing is lost.
 */
export const KEY_EXCHANGE_GROUPS = 'X25519MLKEM768:X25519:P-256:P-384'

/** The TLS options that make a Node socket offer those groups; mqtt.js hands them to tls.connect, though its types do not list them. */
export const KEY_EXCHANGE_OPTIONS = { ecdhCurve: KEY_EXCHANGE_GROUPS } as const

/** Whether the group a handshake settled on is a hybrid with ML-KEM. */
export const isQuantumSafeGroup = (group: string | null | undefined) => typeof group === 'string' && /MLKEM/i.test(group)
