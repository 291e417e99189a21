import type { TLSSocket } from 'node:tls'
import type { BackendApi } from '../../../shared/http/backend-api'
import { notFound } from '../errors'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

type H = Handlers<BackendApi>

const der = (reply: Parameters<H['pki']['crl']>[0]['reply'], type: string, bytes: Buffer) =>
  reply.status(200).header('content-type', type).header('cache-control', 'no-cache').header('content-length', bytes.length).send(bytes)

export const pkiHandlers = ({ certificates, deviceCa, tokens, audit, db, enrolmentTtlMs }: Services): H['pki'] => ({
  caCertificate: async ({ reply }) => der(reply, 'application/pkix-cert', deviceCa.certDer),
  crl: async ({ reply }) => der(reply, 'application/pkix-crl', await certificates.crl.current()),
  certificates: ({ query }) => certificates.list(query),
  summary: ({ query }) => certificates.summary(query),
  certificate: ({ params }) => certificates.get(params.serial),
  requestRenewal: ({ params, principal }) => certificates.requestRenewal(params.serial, principal!),
  revoke: ({ params, body, principal }) => certificates.revoke(params.serial, body, principal!),
  vehicleCertificates: async ({ params }) => {
    if (!(await db.get('SELECT 1 AS one FROM vehicles WHERE vin = ?', [params.vin]))) throw notFound(`vehicle ${params.vin}`)
    return { certificates: await certificates.history('vehicle', params.vin) }
  },
  enrolment: ({ params, principal }) =>
    audited(audit, principal, 'vehicle.enrolment', params.vin, async () => {
      if (!(await db.get('SELECT 1 AS one FROM vehicles WHERE vin = ?', [params.vin]))) throw notFound(`vehicle ${params.vin}`)
      return { vin: params.vin, ...(await tokens.createEnrolment(params.vin, enrolmentTtlMs)) }
    })
})

/** The serial of the device certificate the request came in on (the app has checked it). */
export const serialOf = async ({ certificates }: Services, socket: TLSSocket) => {
  const id = await certificates.identify(socket)
  return id && 'serial' in id ? id.serial : undefined
}
