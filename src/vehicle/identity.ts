import { X509Certificate } from 'node:crypto'
import { SIGNATURES, type SignatureAlgorithm } from '../shared/security-profiles'
import { certificateRequest, keyAlgorithm } from '../crypto/x509'

/** A vehicle gateway's device certificate and the key it made for it. */
export interface DeviceIdentity {
  keyPem: string
  certPem: string
}

/** The algorithm of the device CA (DER), which the vehicle's own key must share. */
export function caSignature(caDer: Uint8Array): SignatureAlgorithm {
  const algorithm = keyAlgorithm(new X509Certificate(caDer).publicKey)
  if (!(algorithm in SIGNATURES)) throw new Error(`the backend's device CA has a ${algorithm} key, which this vehicle cannot make`)
  return algorithm as SignatureAlgorithm
}

/** A new key and its request, CN = VIN, of the device CA's algorithm. */
export const requestFor = (vin: string, caDer: Uint8Array) => certificateRequest(vin, caSignature(caDer))

/**
 * Whether to renew now: when less than a third of the certificate's lifetime is left (10 of 30
 * days), so a vehicle that is offline for a while still renews before it expires.
 */
export function renewalDue(certPem: string, now = Date.now()) {
  const cert = new X509Certificate(certPem)
  const from = Date.parse(cert.validFrom)
  const to = Date.parse(cert.validTo)
  return to - now < (to - from) / 3
}

export const certificateSerial = (certPem: string) => new X509Certificate(certPem).serialNumber.toLowerCase()
