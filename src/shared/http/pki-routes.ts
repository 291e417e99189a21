import { z } from 'zod'
import {
  CertificatePage,
  CertificateQuery,
  CertificateSerial,
  CertificateSummary,
  CertificateSummaryQuery,
  DeviceCertificateView,
  EnrolmentCredential,
  RevokeCertificate
} from '../fleet/certificates'
import { Vin } from '../fleet/device'
import { ApiError } from '../fleet/errors'
import { route } from './route'

const BySerial = z.object({ serial: CertificateSerial })
const ByVin = z.object({ vin: Vin })

/**
 * The device CA's routes of BACKEND_API (its `pki` namespace): the public CA certificate and CRL,
 * the certificates list, counts, revocation and forced renewal, a vehicle's history and a new
 * enrolment credential. A vehicle's own enrolment and renewal are in its `device` namespace.
 */
export const PKI_ROUTES = {
  caCertificate: route({
    method: 'GET',
    path: '/pki/device-ca.crt',
    summary: "The device CA's certificate (DER): what every device certificate chains to",
    tag: 'pki',
    auth: 'public',
    responses: { 200: 'binary' },
    mediaType: 'application/pkix-cert'
  }),
  crl: route({
    method: 'GET',
    path: '/pki/device-ca.crl',
    summary: "The device CA's certificate revocation list (DER), reissued at every revocation and before it goes stale",
    tag: 'pki',
    auth: 'public',
    responses: { 200: 'binary' },
    mediaType: 'application/pkix-crl'
  }),
  certificates: route({
    method: 'GET',
    path: '/api/v1/certificates',
    summary: 'Device certificates: filtered (holder, state, algorithm, VIN or serial prefix), sorted, cursor-paged',
    tag: 'pki',
    auth: { action: 'certificate.read' },
    query: CertificateQuery,
    responses: { 200: CertificatePage }
  }),
  summary: route({
    method: 'GET',
    path: '/api/v1/certificates/summary',
    summary: 'Device certificates by state, and the expiries of the coming weeks',
    tag: 'pki',
    auth: { action: 'certificate.read' },
    query: CertificateSummaryQuery,
    responses: { 200: CertificateSummary }
  }),
  certificate: route({
    method: 'GET',
    path: '/api/v1/certificates/:serial',
    summary: 'One device certificate: holder, algorithm, validity, revocation',
    tag: 'pki',
    auth: { action: 'certificate.read' },
    params: BySerial,
    responses: { 200: DeviceCertificateView, 404: ApiError }
  }),
  revoke: route({
    method: 'POST',
    path: '/api/v1/certificates/:serial/revoke',
    summary: 'Revoke a device certificate with an RFC 5280 reason: on the CRL at once, its open MQTT and HTTPS sessions closed',
    tag: 'pki',
    auth: { action: 'certificate.revoke' },
    params: BySerial,
    body: RevokeCertificate,
    responses: { 200: DeviceCertificateView, 404: ApiError, 409: ApiError }
  }),
  requestRenewal: route({
    method: 'POST',
    path: '/api/v1/certificates/:serial/renew',
    summary: 'Ask the vehicle to renew its certificate now (over MQTT): a new key and certificate, the old one retired when the new is used',
    tag: 'pki',
    auth: { action: 'certificate.renew' },
    params: BySerial,
    responses: { 200: DeviceCertificateView, 404: ApiError, 409: ApiError }
  }),
  vehicleCertificates: route({
    method: 'GET',
    path: '/api/v1/vehicles/:vin/certificates',
    summary: "A vehicle's certificates, newest first",
    tag: 'pki',
    auth: { action: 'certificate.read' },
    params: ByVin,
    responses: { 200: z.object({ certificates: z.array(DeviceCertificateView) }), 404: ApiError }
  }),
  enrolment: route({
    method: 'POST',
    path: '/api/v1/vehicles/:vin/enrolment',
    summary: 'A new one-time enrolment credential for a registered vehicle (one whose certificate expired or was revoked); an unused earlier one stops working',
    tag: 'pki',
    auth: { action: 'vehicle.register' },
    params: ByVin,
    responses: { 201: EnrolmentCredential, 404: ApiError }
  })
} as const
