import { z } from 'zod'
import { TlsMinimum } from './security-profiles'

export const ProfileId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a profile id')

const urlWithScheme = (label: string, schemes: readonly string[]) =>
  z
    .string()
    .trim()
    .min(1, `${label} is required`)
    .max(2048)
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol.replace(/:$/, ''))
        } catch {
          return false
        }
      },
      `${label} must be a URL starting with ${schemes.map((s) => `${s}://`).join(', ')}`
    )

export const BackendUrl = urlWithScheme('Backend URL', ['https'])
export const MqttUrl = urlWithScheme('MQTT URL', ['mqtt', 'mqtts', 'ws', 'wss'])

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/
export const Pem = (label: string) =>
  z
    .string()
    .max(65_536, `${label} is larger than 64 KiB`)
    .refine((s) => PEM_BLOCK.test(s), {
      message: `${label} is not a PEM block (-----BEGIN …-----)`
    })

/** A secret as typed into the form; it travels once to the core and then only to the keychain. */
const Secret = z.string().min(1).max(4096)

export const AuthKind = z.enum(['password', 'token'])
export type AuthKind = z.infer<typeof AuthKind>

/** The parts of a profile that are not secret: stored in SQLite and shown to the renderer. */
export const ProfileFields = z.object({
  name: z.string().trim().min(1, 'Name is required').max(100),
  backendUrl: BackendUrl,
  mqttUrl: MqttUrl,
  username: z.string().trim().max(256),
  authKind: AuthKind,
  caCertPem: Pem('CA certificate').nullable(),
  clientCertPem: Pem('Client certificate').nullable(),
  /** The least TLS this connection accepts; a weaker server is refused with the reason. */
  tlsMinimum: TlsMinimum.default('any')
})
export type ProfileFields = z.infer<typeof ProfileFields>

/**
 * Secrets in a draft: a string sets the value, null removes it, absent keeps what the keychain
 * holds.
 */
export const ProfileSecrets = z.object({
  password: Secret.nullable().optional(),
  clientKeyPem: Pem('Client key').nullable().optional(),
  keyPassphrase: Secret.nullable().optional()
})
export type ProfileSecrets = z.infer<typeof ProfileSecrets>
export type SecretName = keyof ProfileSecrets
export const SECRET_NAMES = ['password', 'clientKeyPem', 'keyPassphrase'] as const satisfies readonly SecretName[]

export const ProfileDraft = ProfileFields.extend(ProfileSecrets.shape).strict()
export type ProfileDraft = z.input<typeof ProfileDraft>

export const ProfileUpdate = z.object({ id: ProfileId, changes: ProfileFields.partial().extend(ProfileSecrets.shape).strict() }).strict()
export type ProfileUpdate = z.input<typeof ProfileUpdate>

/** What the renderer learns of a profile: flags for its secrets, never their values. */
export const ProfileView = ProfileFields.extend({
  id: ProfileId,
  hasPassword: z.boolean(),
  hasClientKey: z.boolean(),
  hasKeyPassphrase: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string()
})
export type ProfileView = z.infer<typeof ProfileView>

export const ProfileList = z.object({
  profiles: z.array(ProfileView),
  activeId: ProfileId.nullable()
})
export type ProfileList = z.infer<typeof ProfileList>

/** `tls-too-weak`: the server's key exchange or certificate falls short of the profile's TLS minimum. */
export const ProbeCause = z.enum(['dns', 'refused', 'tls-untrusted', 'tls-too-weak', 'auth-rejected', 'timeout', 'protocol', 'other'])
export type ProbeCause = z.infer<typeof ProbeCause>

/**
 * What a link's TLS handshake settled on: protocol version, key-exchange group, and the
 * signature algorithm of the server's certificate. `quantumSafe` says whether the key exchange
 * was a hybrid with ML-KEM (what a recording made today cannot be decrypted with later).
 */
export const TlsSummary = z.object({
  version: z.string(),
  group: z.string().nullable(),
  certificateSignature: z.string().nullable(),
  quantumSafe: z.boolean()
})
export type TlsSummary = z.infer<typeof TlsSummary>

/** `tls` is null on a link that never completed its handshake. */
export const ProbeResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: z.string(), ms: z.number(), tls: TlsSummary.nullable() }),
  z.object({ ok: z.literal(false), cause: ProbeCause, detail: z.string(), ms: z.number(), tls: TlsSummary.nullable() })
])
export type ProbeResult = z.infer<typeof ProbeResult>

export const ConnectionTestResult = z.object({
  https: ProbeResult,
  mqtt: ProbeResult
})
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>
