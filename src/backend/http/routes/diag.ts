import { z } from 'zod'
import { Vin } from '../../../shared/fleet/device'
import { DiagRelayAnswer, DiagRelayRequest, FlashId, RemoteFlashQuery, RemoteFlashView, StartRemoteFlash } from '../../../shared/fleet/diag'
import { ApiError } from '../../../shared/fleet/errors'
import { principalName } from '../../auth/tokens'
import { HttpError, notFound } from '../errors'
import { defineRoute } from '../route'
import { audited, type Services } from './services'

const ByVin = z.object({ vin: Vin })
const ByFlash = z.object({ id: FlashId })

const hex = (address: number) => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`
/** The service byte and a little more: enough to tell what was asked, never a whole block of firmware. */
const summary = (uds: string) => `${uds.slice(0, 16).toUpperCase()}${uds.length > 16 ? `… (${uds.length / 2} bytes)` : ''}`

/** Diagnostics through the vehicle gateway: relayed UDS and remote flashes the gateway runs. */
export const diagRoutes = (services: Services) => {
  const diag = () => services.diag ?? Promise.reject(new HttpError(404, 'not-found', 'This backend has no diagnostic relay'))
  return [
    defineRoute({
      method: 'POST',
      url: '/api/v1/vehicles/:vin/diag',
      summary: "Relay one UDS request to an ECU through the vehicle's gateway and answer its response (504 when the vehicle is offline or silent)",
      tag: 'diag',
      auth: { action: 'diag.run' },
      params: ByVin,
      body: DiagRelayRequest,
      responses: { 200: DiagRelayAnswer, 404: ApiError, 504: ApiError },
      handler: async ({ params, body, principal }) =>
        audited(
          services.audit,
          principal,
          'diag.run',
          `${params.vin}/${hex(body.targetAddress)}`,
          async () => (await diag()).request(params.vin, body),
          (a) => `${summary(body.uds)} → ${a.uds ? summary(a.uds) : (a.error ?? 'no response')}`
        )
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/vehicles/:vin/flash',
      summary: 'Start a remote flash: the gateway downloads the release, verifies it with TUF and flashes the ECU itself; follow it with GET /api/v1/diag/flashes/:id',
      tag: 'diag',
      auth: { action: 'diag.flash' },
      params: ByVin,
      body: StartRemoteFlash,
      responses: { 202: RemoteFlashView, 404: ApiError, 409: ApiError, 504: ApiError },
      handler: async ({ params, body, principal, reply }) => {
        const flash = await audited(
          services.audit,
          principal,
          'diag.flash',
          `${params.vin}/${body.releaseId}`,
          async () => (await diag()).startFlash(params.vin, body, principalName(principal!)),
          (f) => `${f.id}: ${f.ecu} at ${hex(f.targetAddress)} to ${f.version}`
        )
        return reply.status(202).send(flash)
      }
    }),
    defineRoute({
      method: 'GET',
      url: '/api/v1/diag/flashes/:id',
      summary: 'A remote flash with its progress after `after`; waitMs long-polls for the next report',
      tag: 'diag',
      auth: { action: 'diag.run' },
      params: ByFlash,
      query: RemoteFlashQuery,
      responses: { 200: RemoteFlashView, 404: ApiError },
      handler: async ({ params, query }) => (await (await diag()).view(params.id, query.after, query.waitMs)) ?? Promise.reject(notFound(`flash ${params.id}`))
    }),
    defineRoute({
      method: 'POST',
      url: '/api/v1/diag/flashes/:id/abort',
      summary: 'Ask the gateway to stop a remote flash at the next block; the ECU keeps its old software and can be flashed again',
      tag: 'diag',
      auth: { action: 'diag.flash' },
      params: ByFlash,
      responses: { 200: RemoteFlashView, 404: ApiError },
      handler: async ({ params, principal }) =>
        audited(services.audit, principal, 'diag.flash.abort', params.id, async () => (await (await diag()).abort(params.id)) ?? Promise.reject(notFound(`flash ${params.id}`)))
    })
  ]
}
