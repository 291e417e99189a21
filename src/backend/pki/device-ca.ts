import { createPublicKey, webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { holderUri, REVOCATION_REASONS, type CertificateHolderKind, type RevocationReason } from '../../shared/fleet/certificates'
import type { SignatureAlgorithm } from '../../shared/security-profiles'
import { keyAlgorithm, selfSignedCa, WEB_ALG, x509 } from '../../crypto/x509'
import type { KeyStore } from '../keys/key-store'

/** A request the CA will not sign, with what is wrong in it. */
export class CsrRefused extends Error {}

export interface CrlEntry {
  serial: string
  at: Date
  reason: RevocationReason
}

export interface DeviceCa {
  signature: SignatureAlgorithm
  certPem: string
  certDer: Buffer
  /** Signs a certificate for a holder's key, out of a request readCsr accepted. */
  issue(o: {
    publicKey: webcrypto.CryptoKey
    holder: { kind: CertificateHolderKind; id: string }
    serial: string
    notBefore: Date
    notAfter: Date
    crlUrl: string
  }): Promise<string>
  /** A CRL (DER) of these entries, numbered, valid from thisUpdate to nextUpdate. */
  signCrl(o: { number: number; thisUpdate: Date; nextUpdate: Date; entries: readonly CrlEntry[] }): Promise<Buffer>
}

/**
 * Where the device CA of a signature algorithm lives: DATA/pki/ecdsa-p256, DATA/pki/ml-dsa-65 …
 * It is its own CA, apart from the one that signs the servers' certificates, so a certificate of
 * one kind can never pass for the other.
 */
export const deviceCaDir = (dataDir: string, signature: SignatureAlgorithm) => join(dataDir, 'pki', signature.toLowerCase())

/**
 * The device CA's certificate and key: made on first start (ten years), read after. The key is
 * the key store's (a file beside the certificate, or on a token), and signs only through it.
 */
export async function loadOrCreateDeviceCa(dataDir: string, signature: SignatureAlgorithm, keyStore: KeyStore): Promise<DeviceCa> {
  const dir = deviceCaDir(dataDir, signature)
  const certFile = join(dir, 'device-ca.crt')
  const key = await keyStore.caKey('device-ca', signature, join(dir, 'device-ca.key'))
  if (!existsSync(certFile)) {
    const ca = await selfSignedCa('CN=OTA Fleet Device CA', signature, key)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(certFile, ca.toString('pem') + '\n')
  }
  const certPem = readFileSync(certFile, 'utf8')
  const ca = new x509.X509Certificate(certPem)
  const spki = async (k: webcrypto.CryptoKey) => Buffer.from(await webcrypto.subtle.exportKey('spki', k))
  if (!Buffer.from(ca.publicKey.rawData).equals(await spki(key.publicKey))) {
    throw new Error(`${certFile} belongs to another key than the key store's device CA key: move it away to make a new device CA (every vehicle then enrols again)`)
  }
  const signingKey = key.privateKey
  const crypto = key.crypto as never
  const caPublicKey = await ca.publicKey.export()
  const aki = await x509.AuthorityKeyIdentifierExtension.create(caPublicKey)
  const signingAlgorithm = WEB_ALG[signature]
  return {
    signature,
    certPem,
    certDer: Buffer.from(ca.rawData),
    async issue({ publicKey, holder, serial, notBefore, notAfter, crlUrl }) {
      const cert = await x509.X509CertificateGenerator.create(
        {
          serialNumber: serial,
          subject: `CN=${holder.id}`,
          issuer: ca.subject,
          notBefore,
          notAfter,
          signingAlgorithm,
          signingKey,
          publicKey,
          extensions: [
            new x509.BasicConstraintsExtension(false, undefined, true),
            new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
            new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
            new x509.SubjectAlternativeNameExtension([{ type: 'url', value: holderUri(holder.kind, holder.id) }]),
            new x509.CRLDistributionPointsExtension([crlUrl]),
            aki,
            await x509.SubjectKeyIdentifierExtension.create(publicKey)
          ]
        },
        crypto
      )
      return cert.toString('pem') + '\n'
    },
    async signCrl({ number, thisUpdate, nextUpdate, entries }) {
      const crl = await x509.X509CrlGenerator.create(
        {
          issuer: ca.subject,
          thisUpdate,
          nextUpdate,
          signingAlgorithm,
          signingKey,
          extensions: [aki, new x509.Extension(CRL_NUMBER, false, derInteger(number))],
          entries: entries.map((e) => ({ serialNumber: e.serial, revocationDate: e.at, reason: REVOCATION_REASONS[e.reason] }))
        },
        crypto
      )
      return Buffer.from(crl.rawData)
    }
  }
}

const CRL_NUMBER = '2.5.29.20'

/** A non-negative integer as DER: what the CRL number extension holds. */
function derInteger(n: number) {
  let hex = n.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const bytes = Buffer.from(hex, 'hex')
  const body = bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes
  return Buffer.concat([Buffer.from([0x02, body.length]), body])
}

/**
 * The public key of a PKCS#10 request, once it is proven (its signature verifies with that key),
 * of the CA's algorithm, and names the expected holder in CN. Anything else is refused, naming it.
 */
export async function readCsr(pem: string, expected: { algorithm: string; cn: string; keyMustBe: string }): Promise<webcrypto.CryptoKey> {
  let csr: x509.Pkcs10CertificateRequest
  try {
    csr = new x509.Pkcs10CertificateRequest(pem)
  } catch (err) {
    throw new CsrRefused(`csrPem is not a PKCS#10 certificate request: ${(err as Error).message}`)
  }
  const algorithm = keyAlgorithm(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' }))
  if (algorithm !== expected.algorithm) throw new CsrRefused(`the request's key is ${algorithm}; ${expected.keyMustBe}`)
  if (!(await csr.verify().catch(() => false))) throw new CsrRefused("the request's signature does not verify with its own key (no proof that the key is held)")
  const cn = csr.subjectName.getField('CN')
  if (cn.length !== 1 || cn[0] !== expected.cn) throw new CsrRefused(`the request names CN=${cn.join(',') || '(none)'}; it must be CN=${expected.cn}`)
  return csr.publicKey.export()
}
