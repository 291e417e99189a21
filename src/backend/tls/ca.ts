import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { DAY_MS as DAY, generateKeys, keyAlgorithm, privateKeyPem, randomSerial as serial, selfSignedCa, WEB_ALG, x509 } from '../../crypto/x509'
import { openKeyStore, type CaKey, type KeyStore } from '../keys/key-store'

export interface TlsMaterial {
  caCertPem: string
  certPem: string
  keyPem: string
}

/** What the backend's TLS servers present and offer: the material, and the key-exchange groups (Node's `ecdhCurve`). */
export interface ServerTls extends TlsMaterial {
  groups: string
  /** The device CA: a client certificate must chain to it (vehicles' mTLS). */
  clientCaPem: string
}

/** A server certificate (825 days) for loopback and the given names, signed by the CA's key. */
async function serverCertificate(hosts: string[], signature: SignatureAlgorithm, ca: { cert: x509.X509Certificate; key: CaKey }) {
  const serverKeys = await generateKeys(signature)
  const names = hosts.map((h) => (/^[\d.]+$|:/.test(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: `CN=${hosts[0]}`,
      issuer: ca.cert.subject,
      notBefore: new Date(Date.now() - DAY),
      notAfter: new Date(Date.now() + 825 * DAY),
      signingAlgorithm: WEB_ALG[signature],
      signingKey: ca.key.privateKey,
      publicKey: serverKeys.publicKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.SubjectAlternativeNameExtension(names),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(ca.key.publicKey as never)
      ]
    },
    ca.key.crypto as never
  )
  return { certPem: cert.toString('pem') + '\n', keyPem: privateKeyPem(serverKeys.privateKey) }
}

/**
 * Where the generated CA of a signature algorithm lives: DATA/tls for ECDSA-P256 (as before
 * profiles existed), DATA/tls/ml-dsa-65 and so on beside it, so switching a profile back and
 * forth keeps each CA that clients already trust.
 */
export const tlsDir = (dataDir: string, signature: SignatureAlgorithm = 'ECDSA-P256') =>
  signature === 'ECDSA-P256' ? join(dataDir, 'tls') : join(dataDir, 'tls', signature.toLowerCase())

/** The signature algorithm of a certificate's key, in the profiles' names, or what it is instead. */
export const certificateAlgorithm = (cert: string | X509Certificate) => keyAlgorithm((typeof cert === 'string' ? new X509Certificate(cert) : cert).publicKey)

/**
 * The backend's TLS: a cert and key the operator gives, or else a CA generated on first start
 * (kept in DATA/tls, its key in the key store) and a server certificate for loopback and the given host names, both signed
 * with the algorithm the security profile names (ECDSA-P256 without one). A given certificate must
 * be of the profile's algorithm when there is a profile.
 */
export async function loadOrCreateTls(
  dataDir: string,
  given?: { certFile: string; keyFile: string; caFile?: string },
  hosts = ['localhost', '127.0.0.1'],
  signature?: SignatureAlgorithm,
  keyStore: KeyStore = openKeyStore({ kind: 'files' })
): Promise<TlsMaterial> {
  if (given) {
    const certPem = readFileSync(given.certFile, 'utf8')
    const actual = certificateAlgorithm(certPem)
    if (signature && actual !== signature) throw new Error(`--tls-cert ${given.certFile} has a ${actual} key; the security profile asks for ${signature}`)
    return { caCertPem: given.caFile ? readFileSync(given.caFile, 'utf8') : certPem, certPem, keyPem: readFileSync(given.keyFile, 'utf8') }
  }
  const dir = tlsDir(dataDir, signature)
  const alg = signature ?? 'ECDSA-P256'
  const files = { ca: join(dir, 'ca.crt'), caKey: join(dir, 'ca.key'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') }
  const pem = (file: string) => readFileSync(file, 'utf8')
  if (keyStore.kind === 'files' && existsSync(files.cert)) return { caCertPem: pem(files.ca), certPem: pem(files.cert), keyPem: pem(files.key) }
  const key = await keyStore.caKey('tls-ca', alg, files.caKey)
  if (!existsSync(files.ca)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(files.ca, (await selfSignedCa('CN=OTA Fleet Backend CA', alg, key)).toString('pem') + '\n')
  }
  const caCertPem = pem(files.ca)
  const server = await serverCertificate(hosts, alg, { cert: new x509.X509Certificate(caCertPem), key })
  // With a token nothing secret is written: the CA key stays on it, the server key lives as long as the process.
  if (keyStore.kind === 'pkcs11') return { caCertPem, ...server }
  writeFileSync(files.key, server.keyPem, { mode: 0o600 })
  writeFileSync(files.cert, server.certPem)
  return { caCertPem, ...server }
}
