// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata'
import { webcrypto, X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import type { SignatureAlgorithm } from '../../shared/security-profiles'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

/** One WebCrypto algorithm object per certificate signature: it generates, imports and signs. */
const WEB_ALG: Record<SignatureAlgorithm, { name: string; namedCurve?: string; hash?: string }> = {
  'ECDSA-P256': { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' },
  'ML-DSA-44': { name: 'ML-DSA-44' },
  'ML-DSA-65': { name: 'ML-DSA-65' },
  'ML-DSA-87': { name: 'ML-DSA-87' }
}
const VEHICLE_KEY = WEB_ALG['ECDSA-P256']
const DAY = 24 * 60 * 60 * 1000

export interface TlsMaterial {
  caCertPem: string
  certPem: string
  keyPem: string
}

/** What the backend's TLS servers present and offer: the material, and the key-exchange groups (Node's `ecdhCurve`). */
export interface ServerTls extends TlsMaterial {
  groups: string
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`

const serial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1')

async function issue(hosts: string[], signature: SignatureAlgorithm): Promise<TlsMaterial & { caKeyPem: string }> {
  const ALG = WEB_ALG[signature]
  const caKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const notBefore = new Date(Date.now() - DAY)
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=OTA Fleet Backend CA',
    notBefore,
    notAfter: new Date(Date.now() + 3650 * DAY),
    signingAlgorithm: ALG,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey)
    ]
  })
  const serverKeys = (await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair
  const names = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${hosts[0]}`,
    issuer: ca.subject,
    notBefore,
    notAfter: new Date(Date.now() + 825 * DAY),
    signingAlgorithm: ALG,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension(names),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey)
    ]
  })
  return {
    caCertPem: ca.toString('pem') + '\n',
    caKeyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey), 'PRIVATE KEY'),
    certPem: cert.toString('pem') + '\n',
    keyPem: toPem(await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey), 'PRIVATE KEY')
  }
}

/**
 * Where the generated CA of a signature algorithm lives: DATA/tls for ECDSA-P256 (as before
 * profiles existed), DATA/tls/ml-dsa-65 and so on beside it, so switching a profile back and
 * forth keeps each CA that clients already trust.
 */
export const tlsDir = (dataDir: string, signature: SignatureAlgorithm = 'ECDSA-P256') =>
  signature === 'ECDSA-P256' ? join(dataDir, 'tls') : join(dataDir, 'tls', signature.toLowerCase())

/** The signature algorithm of a certificate's key, in the profiles' names, or what it is instead. */
export function certificateAlgorithm(cert: string | X509Certificate): SignatureAlgorithm | string {
  const key = (typeof cert === 'string' ? new X509Certificate(cert) : cert).publicKey
  const type = key.asymmetricKeyType ?? 'unknown'
  if (type === 'ec') return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? 'ECDSA-P256' : `ECDSA-${key.asymmetricKeyDetails?.namedCurve}`
  return type.toUpperCase()
}

/**
 * The backend's TLS: a cert and key the operator gives, or else a CA generated on first start
 * (kept in DATA/tls) and a server certificate for loopback and the given host names, both signed
 * with the algorithm the security profile names (ECDSA-P256 without one). A given certificate must
 * be of the profile's algorithm when there is a profile.
 */
export async function loadOrCreateTls(
  dataDir: string,
  given?: { certFile: string; keyFile: string; caFile?: string },
  hosts = ['localhost', '127.0.0.1'],
  signature?: SignatureAlgorithm
): Promise<TlsMaterial> {
  if (given) {
    const certPem = readFileSync(given.certFile, 'utf8')
    const actual = certificateAlgorithm(certPem)
    if (signature && actual !== signature) throw new Error(`--tls-cert ${given.certFile} has a ${actual} key; the security profile asks for ${signature}`)
    return { caCertPem: given.caFile ? readFileSync(given.caFile, 'utf8') : certPem, certPem, keyPem: readFileSync(given.keyFile, 'utf8') }
  }
  const dir = tlsDir(dataDir, signature)
  const files = { ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') }
  if (!existsSync(files.cert)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const made = await issue(hosts, signature ?? 'ECDSA-P256')
    writeFileSync(files.caKey, made.caKeyPem, { mode: 0o600 })
    writeFileSync(files.key, made.keyPem, { mode: 0o600 })
    writeFileSync(files.ca, made.caCertPem)
    writeFileSync(files.cert, made.certPem)
  }
  return { caCertPem: readFileSync(files.ca, 'utf8'), certPem: readFileSync(files.cert, 'utf8'), keyPem: readFileSync(files.key, 'utf8') }
}

/**
 * Issues vehicle client certificates (CN = VIN, clientAuth) from the backend's own CA, for
 * vehicles that log in with mTLS instead of a token. Without its own CA (an operator-given
 * certificate) the backend cannot issue them.
 */
export function createClientIssuer(dataDir: string, signature: SignatureAlgorithm = 'ECDSA-P256') {
  const dir = tlsDir(dataDir, signature)
  const caFile = join(dir, 'ca.crt')
  const caKeyFile = join(dir, 'ca.key')
  if (!existsSync(caKeyFile)) return undefined
  const ALG = WEB_ALG[signature]
  return {
    async issue(vin: string, publicKeyPem: string): Promise<string> {
      const ca = new x509.X509Certificate(readFileSync(caFile, 'utf8'))
      const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
      const caKey = await webcrypto.subtle.importKey('pkcs8', der(readFileSync(caKeyFile, 'utf8')), ALG, false, ['sign'])
      const publicKey = await webcrypto.subtle.importKey('spki', der(publicKeyPem), VEHICLE_KEY, true, ['verify'])
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${vin}`,
        issuer: ca.subject,
        notBefore: new Date(Date.now() - DAY),
        notAfter: new Date(Date.now() + 825 * DAY),
        signingAlgorithm: ALG,
        signingKey: caKey,
        publicKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)
        ]
      })
      return cert.toString('pem') + '\n'
    }
  }
}
export type ClientIssuer = NonNullable<ReturnType<typeof createClientIssuer>>
