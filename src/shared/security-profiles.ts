import { z } from 'zod'

/**
 * The 13 security profiles of the product's first description: a key exchange and a certificate
 * signature, each at a level. A profile chosen on the backend is what its servers offer and
 * present, nothing else; chosen on a console connection it is the least that connection accepts
 * (both the key exchange and the certificate at that level or above).
 *
 * ML-KEM-768 and ML-KEM-1024 run as the hybrids TLS has groups for (X25519MLKEM768 and
 * SecP384r1MLKEM1024, draft-ietf-tls-ecdhe-mlkem), so the session stays secret unless both the
 * classical and the post-quantum half are broken. ML-KEM-512 has no hybrid group, so it runs pure
 * (draft-ietf-tls-mlkem).
 */
export const KEMS = {
  X25519: { level: 0, group: 'X25519' },
  'ML-KEM-512': { level: 1, group: 'MLKEM512' },
  'ML-KEM-768': { level: 2, group: 'X25519MLKEM768' },
  'ML-KEM-1024': { level: 3, group: 'SecP384r1MLKEM1024' }
} as const
export type Kem = keyof typeof KEMS

export const SIGNATURES = {
  'ECDSA-P256': { level: 0 },
  'ML-DSA-44': { level: 1 },
  'ML-DSA-65': { level: 2 },
  'ML-DSA-87': { level: 3 }
} as const
export type SignatureAlgorithm = keyof typeof SIGNATURES

export interface SecurityProfile {
  id: number
  kem: Kem
  signature: SignatureAlgorithm
  /** The claimed strength, as the product's description names it. */
  strength: 'classical' | '128-bit' | '192-bit' | '256-bit'
}

const STRENGTH = { X25519: 'classical', 'ML-KEM-512': '128-bit', 'ML-KEM-768': '192-bit', 'ML-KEM-1024': '256-bit' } as const

const profile = (id: number, kem: Kem, signature: SignatureAlgorithm): SecurityProfile => ({ id, kem, signature, strength: STRENGTH[kem] })

export const SECURITY_PROFILES: readonly SecurityProfile[] = [
  profile(0, 'X25519', 'ECDSA-P256'),
  profile(1, 'ML-KEM-512', 'ECDSA-P256'),
  profile(2, 'ML-KEM-768', 'ECDSA-P256'),
  profile(3, 'ML-KEM-1024', 'ECDSA-P256'),
  ...(['ML-KEM-512', 'ML-KEM-768', 'ML-KEM-1024'] as const).flatMap((kem, k) =>
    (['ML-DSA-44', 'ML-DSA-65', 'ML-DSA-87'] as const).map((signature, s) => profile(4 + 3 * k + s, kem, signature))
  )
]

/** The profile the product's description makes the default: ML-KEM-768 (hybrid) with ECDSA-P256 certificates. */
export const DEFAULT_SECURITY_PROFILE = 2

const SecurityProfileId = z
  .number()
  .int()
  .min(0)
  .max(SECURITY_PROFILES.length - 1, `a security profile is 0-${SECURITY_PROFILES.length - 1}`)

export const securityProfile = (id: number): SecurityProfile => {
  const found = SECURITY_PROFILES[id]
  if (!found) throw new Error(`security profile ${id} does not exist: they are 0-${SECURITY_PROFILES.length - 1}`)
  return found
}

export const describeProfile = (p: SecurityProfile) => `profile ${p.id} (${p.kem} + ${p.signature})`

/**
 * Every key-exchange group a client of ours offers when it has no minimum, best first, in the
 * names Node's `ecdhCurve` takes (OpenSSL 3.5 in Node 24). The hybrids come first, then pure
 * ML-KEM for a server that runs a pure profile, then classical groups so an older peer (a broker
 * built with OpenSSL 3.0) still connects. A client sends its key share for the first group; a
 * server that wants another answers with a retry request, one round trip more.
 */
export const ALL_GROUPS = ['X25519MLKEM768', 'SecP384r1MLKEM1024', 'SecP256r1MLKEM768', 'MLKEM768', 'MLKEM1024', 'MLKEM512', 'X25519', 'P-256', 'P-384'] as const

const GROUP_LEVEL: Record<string, number> = {
  MLKEM512: 1,
  X25519MLKEM768: 2,
  SecP256r1MLKEM768: 2,
  MLKEM768: 2,
  SecP384r1MLKEM1024: 3,
  MLKEM1024: 3
}

/** How strong a negotiated group is against a quantum computer: 0 for a classical group. */
export const groupLevel = (group: string | null | undefined) => (group ? (GROUP_LEVEL[group] ?? 0) : 0)

/** Whether the group a handshake settled on has ML-KEM in it. */
export const isQuantumSafeGroup = (group: string | null | undefined) => groupLevel(group) > 0

/** The signature level of a certificate key, from Node's `asymmetricKeyType` ('ec', 'ml-dsa-65', …). */
export const signatureLevel = (keyType: string | undefined) => {
  const match = /^ml-dsa-(44|65|87)$/.exec(keyType ?? '')
  return match ? SIGNATURES[`ML-DSA-${match[1]}` as SignatureAlgorithm].level : 0
}

/**
 * What a console connection accepts: anything ('any'), only a key exchange with ML-KEM in it
 * ('quantum-safe'), or at least what a security profile names.
 */
export const TlsMinimum = z.union([z.enum(['any', 'quantum-safe']), SecurityProfileId])
export type TlsMinimum = z.infer<typeof TlsMinimum>

export interface Requirement {
  kemLevel: number
  signatureLevel: number
}

export const requirementOf = (minimum: TlsMinimum): Requirement =>
  minimum === 'any'
    ? { kemLevel: 0, signatureLevel: 0 }
    : minimum === 'quantum-safe'
      ? { kemLevel: 1, signatureLevel: 0 }
      : { kemLevel: KEMS[securityProfile(minimum).kem].level, signatureLevel: SIGNATURES[securityProfile(minimum).signature].level }

/** The groups a client offers under a minimum: only those that meet it, so nothing weaker can be negotiated. */
export const groupsMeeting = (minimum: TlsMinimum) => ALL_GROUPS.filter((g) => groupLevel(g) >= requirementOf(minimum).kemLevel)

/** In words, what a minimum asks of the server, for refusals. */
export function describeRequirement(minimum: TlsMinimum): string {
  if (minimum === 'any') return 'any key exchange'
  if (minimum === 'quantum-safe') return 'a quantum-safe key exchange (ML-KEM)'
  const p = securityProfile(minimum)
  const kem = p.kem === 'X25519' ? 'any key exchange' : `key exchange ${p.kem} or stronger`
  return p.signature === 'ECDSA-P256' ? kem : `${kem} and a certificate signed with ${p.signature} or stronger`
}
