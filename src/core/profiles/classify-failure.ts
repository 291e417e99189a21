import type { ProbeCause } from '../../shared/profile'

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH'
])

// MQTT 3.1.1 CONNACK 4/5 and MQTT 5 reason codes 134/135/140.
const MQTT_AUTH_CODES = new Set([4, 5, 134, 135, 140])
// CONNACK 1 (unacceptable protocol version), 2 (identifier rejected), MQTT 5's 132/133.
const MQTT_PROTOCOL_CODES = new Set([1, 2, 132, 133])
// The peer does not speak TLS at all (plain HTTP or MQTT on a TLS URL).
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_PACKET_LENGTH_TOO_LONG'])

/** Maps a Node or mqtt.js error to the cause a user can act on. Pure, so each branch is testable. */
export function classifyFailure(err: unknown): ProbeCause {
  const e = (err ?? {}) as { code?: unknown; message?: unknown }
  const code = e.code
  if (typeof code === 'number' && MQTT_AUTH_CODES.has(code)) return 'auth-rejected'
  if (typeof code === 'number' && MQTT_PROTOCOL_CODES.has(code)) return 'protocol'
  if (typeof code === 'string' && NOT_TLS_CODES.has(code)) return 'protocol'
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return 'dns'
  if (code === 'ECONNREFUSED') return 'refused'
  if (code === 'ERR_TLS_TOO_WEAK') return 'tls-too-weak'
  if (code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT') return 'timeout'
  if (typeof code === 'string' && (TLS_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS'))) {
    return 'tls-untrusted'
  }
  return 'other'
}
