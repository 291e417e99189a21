import type { TLSSocket } from 'node:tls'
import type { TlsSummary } from '../../shared/profile'
import { isQuantumSafeGroup } from '../../shared/security-profiles'

/** What a completed handshake settled on, read from the socket itself. */
export function tlsSummaryOf(socket: TLSSocket): TlsSummary {
  const info = socket.getEphemeralKeyInfo()
  const group = info && 'name' in info && info.name ? info.name : null
  return {
    version: socket.getProtocol() ?? 'unknown',
    group,
    certificateSignature: socket.getPeerX509Certificate()?.signatureAlgorithm ?? null,
    quantumSafe: isQuantumSafeGroup(group)
  }
}
