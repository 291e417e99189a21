import { rootCertificates, type PeerCertificate } from 'node:tls'
import type { IClientOptions } from 'mqtt'
import type { ProfileView } from '../../shared/profile'
import type { ResolvedSecrets } from './profile-secrets'
import { describeRequirement, requirementOf, signatureLevel, type TlsMinimum } from '../../shared/security-profiles'
import { offeredGroups } from '../../net/tls-groups'
import { checkingServerCertificate, tooWeak } from '../../net/tls-policy'

/** A profile with the secrets the keychain holds for it: what every connection is made from. */
export interface Credentials {
  profile: ProfileView
  secrets: ResolvedSecrets
}

export interface TlsOptions {
  ecdhCurve: string
  minVersion?: 'TLSv1.3'
  checkServerIdentity?: (host: string, cert: PeerCertificate) => Error | undefined
  ca?: string[]
  cert?: string
  key?: string
  passphrase?: string
}

/**
 * A certificate check that also holds the server's certificate to the minimum: it runs inside the
 * handshake, so nothing (not a password, not a token) is sent to a server that falls short.
 */
const certificateMeets = (minimum: TlsMinimum) =>
  checkingServerCertificate(({ publicKey }) =>
    signatureLevel(publicKey.asymmetricKeyType) >= requirementOf(minimum).signatureLevel
      ? undefined
      : tooWeak(`the server's certificate has a ${publicKey.asymmetricKeyType?.toUpperCase()} key; this connection requires ${describeRequirement(minimum)}`)
  )

/**
 * TLS options of every connection a profile makes: only the key exchanges its minimum accepts
 * are offered, so nothing weaker can be negotiated; the certificate is checked against it too.
 */
export const tlsOptions = ({ profile, secrets }: Credentials): TlsOptions => ({
  ecdhCurve: offeredGroups(profile.tlsMinimum),
  // TLS 1.2 could fall back to a key exchange outside the group list (RSA key transport).
  ...(requirementOf(profile.tlsMinimum).kemLevel > 0 ? { minVersion: 'TLSv1.3' as const } : {}),
  ...(requirementOf(profile.tlsMinimum).signatureLevel > 0 ? { checkServerIdentity: certificateMeets(profile.tlsMinimum) } : {}),
  // A private CA is trusted in addition to the system roots, not instead of them.
  ...(profile.caCertPem ? { ca: [...rootCertificates, profile.caCertPem] } : {}),
  ...(profile.clientCertPem && secrets.clientKeyPem ? { cert: profile.clientCertPem, key: secrets.clientKeyPem, passphrase: secrets.keyPassphrase } : {})
})

/**
 * The same options for mqtt.js, which hands them to tls.connect for mqtts:// but, for wss://,
 * passes on only what `wsOptions` holds (else just the CA and the client certificate).
 */
export const mqttTlsOptions = (credentials: Credentials) => {
  const tls = tlsOptions(credentials)
  // ws types checkServerIdentity after an old API of its own; it hands the options to tls.connect, which calls ours.
  return { ...tls, wsOptions: { ...tls } as IClientOptions['wsOptions'] }
}

export const authorizationHeader = ({ profile, secrets }: Credentials): Record<string, string> => {
  if (!secrets.password) return {}
  return {
    authorization: profile.authKind === 'token' ? `Bearer ${secrets.password}` : `Basic ${Buffer.from(`${profile.username}:${secrets.password}`).toString('base64')}`
  }
}
