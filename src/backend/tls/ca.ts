// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata'
import { webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const
const DAY = 24 * 60 * 60 * 1000

export interface TlsMaterial {
  caCertPem: string
  certPem: string
  keyPem: string
}

const toPem = (der: ArrayBuffer, label: string) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END ${label}-----\n`

const serial = () =>
  Buffer.from(webcrypto.getRandomValues(new Uint8Array(16)))
    .toString('hex')
    .replace(/^[89a-f]/, '1')

async function issue(hosts: string[]): Promise<TlsMaterial & { caKeyPem: string }> {
  const caKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
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
  const serverKeys = await webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify'])
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
 * The backend's TLS: a cert and key the operator gives, or else a CA generated on first start
 * (kept in DATA/tls) and a server certificate for loopback and the given host names.
 */
export async function loadOrCreateTls(dataDir: string, given?: { certFile: string; keyFile: string; caFile?: string }, hosts = ['localhost', '127.0.0.1']): Promise<TlsMaterial> {
  if (given) {
    const certPem = readFileSync(given.certFile, 'utf8')
    return { caCertPem: given.caFile ? readFileSync(given.caFile, 'utf8') : certPem, certPem, keyPem: readFileSync(given.keyFile, 'utf8') }
  }
  const dir = join(dataDir, 'tls')
  const files = { ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') }
  if (!existsSync(files.cert)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const made = await issue(hosts)
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
export function createClientIssuer(dataDir: string) {
  const caFile = join(dataDir, 'tls', 'ca.crt')
  const caKeyFile = join(dataDir, 'tls', 'ca.key')
  if (!existsSync(caKeyFile)) return undefined
  return {
    async issue(vin: string, publicKeyPem: string): Promise<string> {
      const ca = new x509.X509Certificate(readFileSync(caFile, 'utf8'))
      const der = (pem: string) => Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64')
      const caKey = await webcrypto.subtle.importKey('pkcs8', der(readFileSync(caKeyFile, 'utf8')), ALG, false, ['sign'])
      const publicKey = await webcrypto.subtle.importKey('spki', der(publicKeyPem), { name: 'ECDSA', namedCurve: 'P-256' }, true, ['verify'])
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
