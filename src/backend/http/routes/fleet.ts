import { z } from 'zod'
import { RegisterVehicle, VehicleCredentials, Vin } from '../../../shared/fleet/device'
import { ApiError } from '../../../shared/fleet/errors'
import { VehicleDetail, VehiclePage, VehicleQuery } from '../../../shared/fleet/registry'
import { defaultTimeZone } from '../../../shared/fleet/time-zone'
import { FleetRollup } from '../../../shared/protocol/messages'
import { X509Certificate } from 'node:crypto'
import { conflict, HttpError } from '../errors'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const fingerprint256 = (pem: string) => new X509Certificate(pem).fingerprint256

export const fleetRoutes = ({ tokens, audit, keys, db, registry, onVehicleRegistered, clientIssuer }: Services) => {
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
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/vehicles',
      summary: "Register a vehicle; answers its token and its model's key, once",
      tag: 'fleet',
      auth: { action: 'vehicle.register' },
      body: RegisterVehicle,
      responses: { 201: VehicleCredentials, 409: ApiError },
      handler: async ({ body, principal, reply }) => {
        const credentials = await audited(audit, principal, 'vehicle.register', body.vin, async () => {
          const { changes } = await db.run('INSERT INTO vehicles (vin, model, region, time_zone, tags, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (vin) DO NOTHING', [
            body.vin,
            body.model,
            body.region,
            body.timeZone ?? defaultTimeZone(body.region),
            JSON.stringify(body.tags),
            new Date().toISOString()
          ])
          if (changes === 0) throw conflict(`vehicle ${body.vin} is already registered`)
          const token = await tokens.createDevice(body.vin)
          onVehicleRegistered?.(body.vin, token)
          const clientCertPem = body.publicKeyPem ? await issueCertificate(body.vin, body.publicKeyPem) : undefined
          return { vin: body.vin, model: body.model, token, modelKey: (await keys.modelKey(body.model)).toString('base64'), clientCertPem }
        })
        return reply.status(201).send(credentials)
      }
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/vehicles',
      summary: 'Vehicles: filtered (model, region, tag, online, ECU version, VIN prefix), sorted, cursor-paged',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      query: VehicleQuery,
      responses: { 200: VehiclePage },
      handler: async ({ query }) => registry.query(query)
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/vehicles/:vin',
      summary: 'One vehicle: its ECUs by zonal gateway, version history and update history',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      params: z.object({ vin: Vin }),
      responses: { 200: VehicleDetail, 404: ApiError },
      handler: async ({ params }) => registry.detail(params.vin)
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/fleet/summary',
      summary: 'Fleet counts: total and online, by model (what the rollup topic carries)',
      tag: 'fleet',
      auth: { action: 'vehicle.read' },
      responses: { 200: FleetRollup },
      handler: async () => registry.rollup()
    })
  ]
}
