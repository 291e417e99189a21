import { X509Certificate } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { DAY_MS as DAY, generateKeys, keyAlgorithm, privateKeyPem, randomSerial as serial, WEB_ALG, x509 } from '../../crypto/x509'

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

async function issue(hosts: string[], signature: SignatureAlgorithm): Promise<TlsMaterial & { caKeyPem: string }> {
  const ALG = WEB_ALG[signature]
  const caKeys = await generateKeys(signature)
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
  const serverKeys = await generateKeys(signature)
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
    caKeyPem: privateKeyPem(caKeys.privateKey),
    certPem: cert.toString('pem') + '\n',
    keyPem: privateKeyPem(serverKeys.privateKey)
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
export const certificateAlgorithm = (cert: string | X509Certificate) => keyAlgorithm((typeof cert === 'string' ? new X509Certificate(cert) : cert).publicKey)

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
