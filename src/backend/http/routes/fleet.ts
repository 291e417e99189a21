import { X509Certificate } from 'node:crypto'
import { defaultTimeZone } from '../../../shared/fleet/time-zone'
import type { BackendApi } from '../../../shared/http/backend-api'
import { conflict, HttpError } from '../errors'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

const fingerprint256 = (pem: string) => new X509Certificate(pem).fingerprint256

export const vehicleHandlers = ({ tokens, audit, db, registry, onVehicleRegistered, clientIssuer }: Services): Handlers<BackendApi>['vehicles'] => {
  const issueCertificate = async (vin: string, publicKeyPem: string) => {
    if (!clientIssuer) throw new HttpError(400, 'bad-request', 'This backend runs on an operator-given certificate, so it cannot issue client certificates; register with a token')
    let pem: string
    try {
      pem = await clientIssuer.issue(vin, publicKeyPem)
    } catch {
      throw new HttpError(400, 'bad-request', 'publicKeyPem is not an EC P-256 public key')
    }
    await tokens.registerCertificate(vin, fingerprint256(pem))
    return pem
  }
  return {
    register: ({ body, principal }) =>
      audited(audit, principal, 'vehicle.register', body.vin, async () => {
        const { changes } = await db.run(
          'INSERT INTO vehicles (vin, model, region, time_zone, tags, kem_public_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vin) DO NOTHING',
          [body.vin, body.model, body.region, body.timeZone ?? defaultTimeZone(body.region), JSON.stringify(body.tags), body.kemPublicKey, new Date().toISOString()]
        )
        if (changes === 0) throw conflict(`vehicle ${body.vin} is already registered`)
        const token = await tokens.createDevice(body.vin)
        onVehicleRegistered?.(body.vin, token)
        const clientCertPem = body.publicKeyPem ? await issueCertificate(body.vin, body.publicKeyPem) : undefined
        return { vin: body.vin, model: body.model, token, clientCertPem }
      }),
    list: ({ query }) => registry.query(query),
    get: ({ params }) => registry.detail(params.vin),
    summary: () => registry.rollup()
  }
}
