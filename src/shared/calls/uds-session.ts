import { z } from 'zod'
import { BundleId } from '../bundle/manifest'
import { FLASH_PHASES } from '../uds-client'
import { ReleaseId } from '../fleet/catalog'
import { Vin } from '../fleet/device'
import { FlashId } from '../fleet/diag-relay'
import { call } from './call'
import { DiagOperation } from './uds-operation'

/**
 * UDS sessions with one vehicle: one session API whether the console reaches the vehicle over
 * DoIP (a workshop) or through the backend's relay to its gateway (remote). The Workshop screen,
 * the fleet's diagnostic runs (src/core/diagnostic-runs) and otactl build on these calls.
 */

export const DiagSessionId = z.string().regex(/^dgs_[0-9a-f]{16}$/, 'not a diagnostic session id')
const Address = z.number().int().min(0).max(0xffff)
export const DiscoveredEntity = z.object({
  vin: z.string(),
  logicalAddress: z.number().int(),
  eid: z.string(),
  gid: z.string(),
  furtherAction: z.string(),
  host: z.string(),
  port: z.number().int()
})

const Ms = (max: number) => z.number().int().min(1).max(max)

export const DoipTarget = z
  .object({
    host: z.string().trim().min(1).max(255),
    port: z.number().int().min(1).max(65535).optional(),
    /** 0x0E80 when absent. */
    testerAddress: Address.optional(),
    activationType: z.number().int().min(0).max(0xff).optional(),
    /** ISO 13400-2 timers of the tester, e.g. a longer routing activation wait over a slow link. */
    timers: z
      .object({ connectMs: Ms(60_000), routingActivationMs: Ms(60_000), diagnosticAckMs: Ms(60_000), aliveCheckMs: Ms(60_000), generalInactivityMs: Ms(3_600_000) })
      .partial()
      .strict()
      .optional(),
    /** P2/P2* client; P2* grows to what an ECU announces. */
    uds: z
      .object({ p2Ms: Ms(60_000), p2StarMs: Ms(600_000) })
      .partial()
      .strict()
      .optional()
  })
  .strict()

export const DiagConnectInput = z.union([z.object({ doip: DoipTarget }).strict(), z.object({ vin: Vin }).strict()])

export const DiagSessionView = z.object({
  session: DiagSessionId,
  kind: z.enum(['doip', 'remote']),
  /** The vehicle's VIN: read from the DoIP entity (F190), or the one asked for. */
  vin: z.string().nullable(),
  /** The DoIP entity's logical address (the gateway); null for a remote session. */
  entityAddress: z.number().int().nullable(),
  /** The ECUs the backend's registry knows for a remote session; empty over DoIP. */
  ecus: z.array(z.object({ id: z.string(), logicalAddress: z.number().int(), software: z.string() }))
})
export type DiagSessionView = z.infer<typeof DiagSessionView>

export const DidReadingView = z.object({ did: z.string(), name: z.string(), value: z.union([z.string(), z.number()]).nullable(), hex: z.string() })
export const DtcView = z.object({ dtc: z.number().int(), code: z.string(), status: z.number().int(), statusBits: z.array(z.string()) })

/** A UDS answer as a person reads it: DIDs by name, DTCs with their status bits, NRCs by name. */
export const DecodedAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({ kind: z.literal('negative'), requestSid: z.number().int(), nrc: z.number().int(), name: z.string(), description: z.string() }),
  z.object({ kind: z.literal('positive'), service: z.string(), summary: z.string(), dids: z.array(DidReadingView).optional(), dtcs: z.array(DtcView).optional() }),
  z.object({ kind: z.literal('undecoded'), reason: z.string() })
])
export type DecodedAnswer = z.infer<typeof DecodedAnswer>

export const UdsAnswerView = z.object({ target: z.number().int(), request: z.string(), response: z.string().nullable(), elapsedMs: z.number(), decoded: DecodedAnswer })
export type UdsAnswerView = z.infer<typeof UdsAnswerView>

export const DiagFlashInput = z
  .object({
    session: DiagSessionId,
    target: Address,
    /** Over DoIP: the imported offline bundle holding the verified image for this vehicle and ECU. */
    bundleId: BundleId.optional(),
    /** Remote: the published release the gateway downloads and verifies itself. */
    releaseId: ReleaseId.optional()
  })
  .strict()
  .refine((f) => (f.bundleId === undefined) !== (f.releaseId === undefined), { message: 'give bundleId (a DoIP flash) or releaseId (a remote flash)', path: ['bundleId'] })

export const FlashProgressEvent = z.object({
  flashId: FlashId,
  session: DiagSessionId,
  target: z.number().int(),
  state: z.enum(['running', 'succeeded', 'failed', 'aborted']),
  step: z.enum(FLASH_PHASES),
  bytesSent: z.number(),
  bytesTotal: z.number(),
  percent: z.number(),
  bytesPerSecond: z.number(),
  etaSeconds: z.number().nullable(),
  elapsedMs: z.number(),
  /** Why it failed or stopped. */
  message: z.string().nullable(),
  versionBefore: z.string().nullable(),
  versionAfter: z.string().nullable()
})
export type FlashProgressEvent = z.infer<typeof FlashProgressEvent>

const BySession = z.object({ session: DiagSessionId }).strict()

export const diagCalls = {
  /** UDP vehicle identification: every DoIP entity that answers within the timeout. */
  'diag.discover': call(
    z
      .object({
        address: z.string().trim().min(1).max(255).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        timeoutMs: z.number().int().min(50).max(10_000).optional()
      })
      .strict(),
    z.object({ vehicles: z.array(DiscoveredEntity) })
  ),
  /** A session over DoIP (routing activated) or through the backend's relay to a vehicle. */
  'diag.connect': call(DiagConnectInput, DiagSessionView),
  /**
   * One named operation (read DIDs, read DTCs, or bytes the user typed) to one ECU, encoded by the
   * core; a negative response is an answer, not an error.
   */
  'diag.request': call(
    z.object({ session: DiagSessionId, target: Address, operation: DiagOperation, timeoutMs: z.number().int().min(50).max(60_000).optional() }).strict(),
    UdsAnswerView
  ),
  /** Starts a flash; diag.progress reports it until its end. */
  'diag.flash': call(DiagFlashInput, z.object({ flashId: FlashId })),
  'diag.abort': call(z.object({ flashId: FlashId }).strict(), z.void()),
  'diag.close': call(BySession, z.void())
}

export const diagEvents = {
  'diag.progress': FlashProgressEvent,
  /** A DoIP session lost its connection, reconnects, or is connected again; or a session closed. */
  'diag.state': z.object({ session: DiagSessionId, state: z.enum(['connected', 'disconnected', 'reconnecting', 'closed']), detail: z.string().nullable() })
}
