import { rootCertificates } from 'node:tls'
import type { ProfileView } from '../../shared/profile'
import type { ResolvedSecrets } from './profile-secrets'
import { KEY_EXCHANGE_GROUPS } from '../../shared/tls'

/** A profile with the secrets the keychain holds for it: what every connection is made from. */
export interface Credentials {
  profile: ProfileView
  secrets: ResolvedSecrets
}

export interface TlsOptions {
  ecdhCurve: string
  ca?: string[]
  cert?: string
  key?: string
  passphrase?: string
}

export const tlsOptions = ({ profile, secrets }: Credentials): TlsOptions => ({
  ecdhCurve: KEY_EXCHANGE_GROUPS,
  // A private CA is trusted in addition to the system roots, not instead of them.
  ...(profile.caCertPem ? { ca: [...rootCertificates, profile.caCertPem] } : {}),
  ...(profile.clientCertPem && secrets.clientKeyPem ? { cert: profile.clientCertPem, key: secrets.clientKeyPem, passphrase: secrets.keyPassphrase } : {})
})

export const authorizationHeader = ({ profile, secrets }: Credentials): Record<string, string> => {
  if (!secrets.password) return {}
  return {
    authorization: profile.authKind === 'token' ? `Bearer ${secrets.password}` : `Basic ${Buffer.from(`${profile.username}:${secrets.password}`).toString('base64')}`
  }
}
