import { z } from 'zod'
import { FlashProgressReport } from '../protocol/messages'
import { EcuId, ReleaseId } from './catalog'
import { Vin } from './device'

/** The backend's diagnostic API: UDS relayed to a vehicle's gateway, and remote flashes the gateway runs. */

const Address = z.number().int().min(0).max(0xffff)
const Hex = z.string().regex(/^([0-9a-fA-F]{2})+$/, 'hex bytes, e.g. 22F190')

export const DiagRelayRequest = z
  .object({
    targetAddress: Address,
    uds: Hex.max(8192),
    /** How long the gateway waits for the ECU's final answer (it handles 7F SID 78 itself). */
    timeoutMs: z.number().int().min(50).max(60_000).default(5000)
  })
  .strict()

/** The gateway's answer: the ECU's response, none (a suppressed positive response), or what went wrong there. */
export const DiagRelayAnswer = z.object({
  sourceAddress: Address,
  uds: Hex.nullable(),
  error: z.string().nullable(),
  elapsedMs: z.number()
})
export type DiagRelayAnswer = z.infer<typeof DiagRelayAnswer>

export const FlashId = z.string().regex(/^fls_[0-9a-f]{16}$/, 'not a flash id')

export const StartRemoteFlash = z
  .object({
    releaseId: ReleaseId,
    /** The ECU's logical address; the registry's for the release's ECU when absent (they must agree). */
    targetAddress: Address.optional()
  })
  .strict()

export const RemoteFlashState = z.enum(['requested', 'running', 'succeeded', 'failed', 'aborted'])
export type RemoteFlashState = z.infer<typeof RemoteFlashState>

export const RemoteFlashEvent = z.object({ seq: z.number().int(), progress: FlashProgressReport.omit({ correlationId: true }) })
export type RemoteFlashEvent = z.infer<typeof RemoteFlashEvent>

export const RemoteFlashView = z.object({
  id: FlashId,
  vin: Vin,
  ecu: EcuId,
  targetAddress: Address,
  releaseId: ReleaseId,
  version: z.string(),
  state: RemoteFlashState,
  requestedBy: z.string(),
  requestedAt: z.string(),
  finishedAt: z.string().nullable(),
  /** Why it failed or stopped, in words. */
  detail: z.string().nullable(),
  versionBefore: z.string().nullable(),
  versionAfter: z.string().nullable(),
  /** Progress after the `after` sequence number asked for (all when none was). */
  events: z.array(RemoteFlashEvent),
  lastSeq: z.number().int()
})
export type RemoteFlashView = z.infer<typeof RemoteFlashView>

export const RemoteFlashQuery = z.object({
  after: z.coerce.number().int().min(0).default(0),
  /** Long poll: answer when something newer than `after` arrives or after this many ms. */
  waitMs: z.coerce.number().int().min(0).max(25_000).default(0)
})
