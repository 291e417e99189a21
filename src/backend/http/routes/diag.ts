import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import { HttpError, notFound } from '../errors'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

const hex = (address: number) => `0x${address.toString(16).toUpperCase().padStart(4, '0')}`
/** The service byte and a little more: enough to tell what was asked, never a whole block of firmware. */
const summary = (uds: string) => `${uds.slice(0, 16).toUpperCase()}${uds.length > 16 ? `… (${uds.length / 2} bytes)` : ''}`

/** Diagnostics through the vehicle gateway: relayed UDS and remote flashes the gateway runs. */
export const diagHandlers = (services: Services): Handlers<BackendApi>['diag'] => {
  const diag = () => services.diag ?? Promise.reject(new HttpError(404, 'not-found', 'This backend has no diagnostic relay'))
  return {
    relay: ({ params, body, principal }) =>
      audited(
        services.audit,
        principal,
        'diag.run',
        `${params.vin}/${hex(body.targetAddress)}`,
        async () => (await diag()).request(params.vin, body),
        (a) => `${summary(body.uds)} → ${a.uds ? summary(a.uds) : (a.error ?? 'no response')}`
      ),
    startFlash: ({ params, body, principal }) =>
      audited(
        services.audit,
        principal,
        'diag.flash',
        `${params.vin}/${body.releaseId}`,
        async () => (await diag()).startFlash(params.vin, body, principalName(principal!)),
        (f) => `${f.id}: ${f.ecu} at ${hex(f.targetAddress)} to ${f.version}`
      ),
    flash: async ({ params, query }) => (await (await diag()).view(params.id, query.after, query.waitMs)) ?? Promise.reject(notFound(`flash ${params.id}`)),
    abortFlash: ({ params, principal }) =>
      audited(services.audit, principal, 'diag.flash.abort', params.id, async () => (await (await diag()).abort(params.id)) ?? Promise.reject(notFound(`flash ${params.id}`)))
  }
}
