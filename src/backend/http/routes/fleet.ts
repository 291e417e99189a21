import { defaultTimeZone } from '../../../shared/fleet/time-zone'
import { STABLE } from '../../../shared/fleet/catalog'
import type { BackendApi } from '../../../shared/http/backend-api'
import { principalName } from '../../auth/tokens'
import { conflict } from '../errors'
import type { Handlers } from '../route'
import { audited, type Services } from './services'

export const vehicleHandlers = ({ tokens, audit, db, registry, enrolmentTtlMs, evidence }: Services): Handlers<BackendApi>['vehicles'] => ({
  register: ({ body, principal }) =>
    audited(audit, principal, 'vehicle.register', body.vin, async () => {
      const { changes } = await db.run(
        'INSERT INTO vehicles (vin, model, region, time_zone, tags, kem_public_key, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (vin) DO NOTHING',
        [body.vin, body.model, body.region, body.timeZone ?? defaultTimeZone(body.region), JSON.stringify(body.tags), body.kemPublicKey, new Date().toISOString()]
      )
      if (changes === 0) throw conflict(`vehicle ${body.vin} is already registered`)
      return { vin: body.vin, model: body.model, ...(await tokens.createEnrolment(body.vin, enrolmentTtlMs)) }
    }),
  list: ({ query }) => registry.query(query),
  get: ({ params }) => registry.detail(params.vin),
  evidence: ({ params, principal }) => audited(audit, principal, 'vehicle.evidence', params.vin, () => evidence.export(params.vin, principalName(principal!))),
  evidenceKey: async () => evidence.key(),
  vci: ({ params }) => registry.vci(params.vin),
  setChannel: async ({ params, body, principal }) => {
    await audited(
      audit,
      principal,
      'vehicle.channel',
      params.vin,
      () => registry.setChannel(params.vin, body.channel),
      () => body.channel ?? STABLE
    )
    return registry.detail(params.vin)
  },
  summary: () => registry.rollup()
})
